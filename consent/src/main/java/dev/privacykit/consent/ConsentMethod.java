package dev.privacykit.consent;

/** How a consent change was collected. */
public enum ConsentMethod {
  /** A form the data subject filled in. */
  FORM,
  /** An API call made on the subject's behalf by the host application. */
  API,
  /** A bulk import of earlier records. */
  IMPORT,
  /** A Global Privacy Control signal ({@code Sec-GPC: 1}). */
  GPC,
  /**
   * A signed artefact from a registered Consent Manager, through which the principal gave, reviewed
   * or withdrew consent (DPDP s.6(7)-(9), Rule 4).
   */
  CONSENT_MANAGER;

  /** Whether this method is an explicit act of the subject (what may win over a GPC signal). */
  public boolean isExplicit() {
    return this == FORM || this == API || this == CONSENT_MANAGER;
  }
}
