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
  GRIEVANCE
}
