package dev.privacykit.consent;

/** The rights a data-subject request exercises (GDPR Arts. 15–21; DPDP ss. 11–14). */
public enum RequestType {
  ACCESS,
  RECTIFICATION,
  ERASURE,
  RESTRICTION,
  PORTABILITY,
  OBJECTION,
  NOMINATION,
  GRIEVANCE,
  /**
   * GDPR Art. 22(3): a person at the controller reviews a decision based solely on automated
   * processing, hears the subject's point of view, and may change it.
   */
  HUMAN_REVIEW
}
