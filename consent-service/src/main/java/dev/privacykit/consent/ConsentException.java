package dev.privacykit.consent;

/**
 * The root of every unchecked failure of the consent ledger and data-subject requests. Messages
 * name purposes and notices, never people; {@link #code()} is stable for HTTP problem types.
 */
public class ConsentException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String code;

  /** A failure with a stable {@code code} (such as {@code unknown-purpose}). */
  public ConsentException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** The stable code. */
  public String code() {
    return code;
  }
}
