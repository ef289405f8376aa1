package dev.privacykit.policies;

/**
 * The contract the middleware and the decision engine ask: what is this subject's consent for this
 * purpose now? Implemented by the consent ledger (in process) and by a remote client of the
 * standalone service; {@link InMemoryConsentLookup} is a small fake for tests.
 *
 * <p>Implementations must be thread-safe. When they cannot answer (the ledger is down, a remote
 * call timed out) they throw {@link ConsentLookupException}; the decision engine then denies (fails
 * closed).
 */
@FunctionalInterface
public interface ConsentLookup {

  /**
   * The consent of {@code subject} (a pseudonymous reference) in {@code tenant} for {@code
   * purpose}; {@link ConsentAnswer#none()} when nothing was recorded.
   *
   * @throws ConsentLookupException when the answer cannot be had
   */
  ConsentAnswer lookup(String tenant, String subject, String purpose);

  /** Thrown when a lookup cannot answer. The message names no subject. */
  final class ConsentLookupException extends PolicyException {
    private static final long serialVersionUID = 1L;

    /** A lookup failure described by {@code message}. */
    public ConsentLookupException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
