package dev.privacykit.policies;

/** The root of every unchecked failure of the policies module. */
public class PolicyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public PolicyException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public PolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
