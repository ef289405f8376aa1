package dev.privacykit.policies;

/** The data protection law a policy set is written for. */
public enum Regime {
  /** The EU General Data Protection Regulation. */
  GDPR,
  /** India's Digital Personal Data Protection Act 2023 and its Rules 2025. */
  DPDP
}
