package dev.privacykit.javalin;

/**
 * A bearer token that is not accepted. {@link #getMessage()} is safe to send to the client as
 * {@code error_description}: it says what kind of problem the token has, never a claim value, a key
 * or exception text.
 */
public final class TokenRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TokenRejectedException(String safeReason) {
    super(safeReason, null, false, false);
  }
}
