package dev.privacykit.consent;

/** Why a request was refused; stable codes for notices to the requester and for reports. */
public enum DenialReason {
  /** The requester's identity could not be verified (GDPR Art. 12(6)). */
  IDENTITY_NOT_VERIFIED,
  /** Manifestly unfounded or excessive (GDPR Art. 12(5)). */
  MANIFESTLY_UNFOUNDED_OR_EXCESSIVE,
  /** A legal obligation requires keeping the data (GDPR Art. 17(3)(b); DPDP s.8(7)). */
  LEGAL_OBLIGATION_TO_RETAIN,
  /** Needed for legal claims (GDPR Art. 17(3)(e)). */
  LEGAL_CLAIMS,
  /** Would adversely affect the rights and freedoms of others (GDPR Art. 15(4)). */
  RIGHTS_OF_OTHERS,
  /**
   * The right does not apply to this processing (for example portability without consent or
   * contract).
   */
  RIGHT_NOT_APPLICABLE,
  /** An exemption under the law applies (DPDP s.17). */
  STATUTORY_EXEMPTION,
  /**
   * GDPR Art. 21(1): compelling legitimate grounds override the objection (never for direct
   * marketing, Art. 21(3)).
   */
  COMPELLING_LEGITIMATE_GROUNDS
}
