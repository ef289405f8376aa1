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
  GPC;

  /** Whether this method is an explicit act of the subject (what may win over a GPC signal). */
  public boolean isExplicit() {
    return this == FORM || this == API;
  }
}
