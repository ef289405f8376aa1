package dev.privacykit.policies;

import java.time.Period;

/**
 * How long personal data is kept, and what happens after.
 *
 * @param purpose the purpose it applies to, or null
 * @param category the data category (and its children) it applies to, or null
 * @param period how long after the rule's trigger
 * @param action what happens then
 * @param when what starts the period
 * @param thirdSchedule for an {@link Trigger#INACTIVE} rule under DPDP, the Third Schedule class of
 *     fiduciary it follows ({@code e_commerce}, {@code online_gaming} or {@code social_media}), or
 *     null
 */
public record RetentionRule(
    String purpose,
    String category,
    Period period,
    Action action,
    Trigger when,
    String thirdSchedule) {

  /** A rule whose period runs from collection. */
  public RetentionRule(String purpose, String category, Period period, Action action) {
    this(purpose, category, period, action, Trigger.COLLECTED, null);
  }

  /** What happens at the end of the retention period. */
  public enum Action {
    /** Remove the data. */
    DELETE,
    /** Remove what identifies the person, keep the rest. */
    ANONYMISE
  }

  /** What starts a rule's period. */
  public enum Trigger {
    /** Collection: the period is how long data is kept for its purpose or category. */
    COLLECTED,
    /**
     * The end of a consent (withdrawn or expired): the period is the grace before the data held for
     * that purpose goes (GDPR Art. 17(1)(b), DPDP s.8(7)(a)).
     */
    CONSENT_ENDED,
    /**
     * The principal's last contact (a consent change, a request, a login the host reports): after
     * the period the purpose is deemed no longer served and everything of the principal is erased,
     * with notice 48 hours before (DPDP Rules 2025, rule 8 and the Third Schedule).
     */
    INACTIVE
  }
}
