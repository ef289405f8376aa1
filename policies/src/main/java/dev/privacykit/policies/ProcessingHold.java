package dev.privacykit.policies;

import java.time.Instant;
import java.util.Objects;

/**
 * A data subject's right that stops processing for a purpose: a restriction (GDPR Art. 18) or an
 * upheld objection (Art. 21). The decision engine denies processing for the purpose while the hold
 * is in force.
 *
 * @param kind restriction or objection
 * @param since when it took effect
 * @param liftsAt when a restriction being lifted stops holding (the subject is told before, Art.
 *     18(3)), or null while it holds without end
 */
public record ProcessingHold(Kind kind, Instant since, Instant liftsAt) {

  /** What kind of hold. */
  public enum Kind {
    /** GDPR Art. 18: processing restricted (storage aside). */
    RESTRICTION,
    /** GDPR Art. 21: the subject objected and the objection stands. */
    OBJECTION
  }

  /** Checks the kind and the start. */
  public ProcessingHold {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(since, "since");
  }

  /** Whether the hold stops processing at {@code at}. */
  public boolean holdsAt(Instant at) {
    return !at.isBefore(since) && (liftsAt == null || at.isBefore(liftsAt));
  }
}
