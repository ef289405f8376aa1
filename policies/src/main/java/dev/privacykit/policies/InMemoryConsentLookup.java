package dev.privacykit.policies;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ConsentLookup} kept in a map, for tests of apps that use PrivacyKit. Thread-safe.
 *
 * <pre>{@code
 * var consents = new InMemoryConsentLookup()
 *     .put("acme", "subj_1", "marketing", ConsentAnswer.given(2, Instant.now()));
 * }</pre>
 */
public final class InMemoryConsentLookup implements ConsentLookup {
  private record Key(String tenant, String subject, String purpose) {}

  private final ConcurrentHashMap<Key, ConsentAnswer> answers = new ConcurrentHashMap<>();

  /** Records an answer, replacing any earlier one; returns this lookup. */
  public InMemoryConsentLookup put(
      String tenant, String subject, String purpose, ConsentAnswer answer) {
    answers.put(new Key(tenant, subject, purpose), answer);
    return this;
  }

  @Override
  public ConsentAnswer lookup(String tenant, String subject, String purpose) {
    return answers.getOrDefault(new Key(tenant, subject, purpose), ConsentAnswer.none());
  }
}
