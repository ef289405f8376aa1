package dev.privacykit.policies;

/**
 * Why a {@link Decision} allows or denies. Stable: HTTP problem types and audit entries use them.
 */
public enum ReasonCode {
  /** Allowed: a lawful basis other than consent applies. */
  LAWFUL_BASIS,
  /** Allowed: the subject's consent is valid. */
  CONSENT_VALID,
  /** Allowed: an explicit opt-in recorded after a GPC signal wins, as the policy allows. */
  EXPLICIT_OPT_IN_OVER_GPC,
  /** Denied: the purpose is not in the policy. */
  UNKNOWN_PURPOSE,
  /** Denied: a requested data category is not in the policy. */
  UNKNOWN_CATEGORY,
  /** Denied: a requested data category is not among the purpose's categories. */
  CATEGORY_NOT_IN_PURPOSE,
  /** Denied: special category data without a GDPR Art. 9(2) condition. */
  SPECIAL_CATEGORY_WITHOUT_CONDITION,
  /** Denied: the actor has none of the roles or scopes the purpose allows. */
  ACTOR_NOT_PERMITTED,
  /** Denied: a Global Privacy Control signal opts the subject out of this purpose. */
  GPC_OPT_OUT,
  /** Denied: no consent was ever recorded. */
  NO_CONSENT,
  /** Denied: the subject refused. */
  CONSENT_REFUSED,
  /** Denied: the subject withdrew consent. */
  CONSENT_WITHDRAWN,
  /** Denied: the consent's validity period has passed. */
  CONSENT_EXPIRED,
  /** Denied: the consent was given under a notice version older than its latest material change. */
  CONSENT_NEEDS_RENEWAL,
  /** Denied: consent, restrictions and objections could not be looked up (fail closed). */
  CONSENT_UNAVAILABLE,
  /** Denied: the subject obtained restriction of processing for this purpose (GDPR Art. 18). */
  PROCESSING_RESTRICTED,
  /** Denied: the subject's objection to this purpose stands (GDPR Art. 21). */
  OBJECTION_UPHELD,
  /**
   * Denied: the subject is a child or a person with a lawful guardian, and the consent was not
   * given by a verified parent or lawful guardian (DPDP s.9(1), Rules 10-11; GDPR Art. 8(1)).
   */
  GUARDIAN_CONSENT_REQUIRED,
  /**
   * Denied: tracking, behavioural monitoring or targeted advertising for a child, without an
   * exemption of the Fourth Schedule (DPDP s.9(3), Rule 12; GDPR Recital 38).
   */
  CHILD_TRACKING_OR_ADVERTISING,
  /**
   * Denied: processing likely to harm a child's well-being, which nothing exempts (DPDP s.9(2)).
   */
  DETRIMENTAL_TO_CHILD
}
