package dev.privacykit.policies;

import java.time.Instant;

/**
 * What a {@link ConsentLookup} knows of one subject's consent for one purpose.
 *
 * @param state the current state
 * @param noticeVersion the notice version the consent was given under (0 when unknown)
 * @param changedAt when the state last changed, or null for {@link ConsentState#NONE}
 * @param expiresAt when a given consent stops being valid, or null for no limit
 * @param explicitOptIn whether the subject opted in by an explicit act (not a default, not an
 *     import), which is what may win over a Global Privacy Control signal
 * @param gpcOptOutAt when a GPC signal last opted the subject out, or null
 * @param hold a restriction or objection that stops processing for the purpose whatever the consent
 *     (and whatever the lawful basis), or null
 * @param guardianship that the subject is a child or a person with a lawful guardian, and whether a
 *     verified guardian gave the consent; null when the subject is neither
 */
public record ConsentAnswer(
    ConsentState state,
    int noticeVersion,
    Instant changedAt,
    Instant expiresAt,
    boolean explicitOptIn,
    Instant gpcOptOutAt,
    ProcessingHold hold,
    Guardianship guardianship) {

  /** An answer without a hold, for a subject who is not a ward. */
  public ConsentAnswer(
      ConsentState state,
      int noticeVersion,
      Instant changedAt,
      Instant expiresAt,
      boolean explicitOptIn,
      Instant gpcOptOutAt) {
    this(state, noticeVersion, changedAt, expiresAt, explicitOptIn, gpcOptOutAt, null, null);
  }

  /** An answer for a subject who is not a ward. */
  public ConsentAnswer(
      ConsentState state,
      int noticeVersion,
      Instant changedAt,
      Instant expiresAt,
      boolean explicitOptIn,
      Instant gpcOptOutAt,
      ProcessingHold hold) {
    this(state, noticeVersion, changedAt, expiresAt, explicitOptIn, gpcOptOutAt, hold, null);
  }

  /** This answer with {@code hold} (null for none). */
  public ConsentAnswer withHold(ProcessingHold hold) {
    return new ConsentAnswer(
        state, noticeVersion, changedAt, expiresAt, explicitOptIn, gpcOptOutAt, hold, guardianship);
  }

  /** This answer with {@code guardianship} (null when the subject is not a ward). */
  public ConsentAnswer withGuardianship(Guardianship guardianship) {
    return new ConsentAnswer(
        state, noticeVersion, changedAt, expiresAt, explicitOptIn, gpcOptOutAt, hold, guardianship);
  }

  /** The answer when nothing was ever recorded. */
  public static ConsentAnswer none() {
    return new ConsentAnswer(ConsentState.NONE, 0, null, null, false, null);
  }

  /**
   * This answer as it stands at {@code at}: a consent that is valid for processing but whose {@link
   * #expiresAt()} has passed is {@link ConsentState#EXPIRED}. The one place the expiry rule lives;
   * the decision engine, the ledger's state reads and the HTTP views all go through it.
   */
  public ConsentAnswer asOf(Instant at) {
    if (state.isValidForProcessing() && expiresAt != null && !at.isBefore(expiresAt)) {
      return new ConsentAnswer(
          ConsentState.EXPIRED,
          noticeVersion,
          changedAt,
          expiresAt,
          explicitOptIn,
          gpcOptOutAt,
          hold,
          guardianship);
    }
    return this;
  }

  /** A consent given explicitly at {@code at} under {@code noticeVersion}, without expiry. */
  public static ConsentAnswer given(int noticeVersion, Instant at) {
    return new ConsentAnswer(ConsentState.GIVEN, noticeVersion, at, null, true, null);
  }
}
