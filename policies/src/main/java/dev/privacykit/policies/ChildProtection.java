package dev.privacykit.policies;

/**
 * The decision engine's rules for the data of a child or of a person with a disability who has a
 * lawful guardian. For a child: processing likely to harm her well-being is refused, always (DPDP
 * s.9(2)); tracking, behavioural monitoring and targeted advertising are refused unless the purpose
 * falls under an exemption of the Fourth Schedule (s.9(3), Rule 12; for GDPR, Recital 38). For
 * either: consent counts only when a verified parent or lawful guardian gave it (s.9(1), Rules 10
 * and 11; GDPR Art. 8(1)), unless the purpose is exempt.
 */
final class ChildProtection {
  private ChildProtection() {}

  /** A denial the purpose's nature earns for a child whatever the basis, or null. */
  static Decision beforeBasis(Purpose purpose, Regime regime, Guardianship ward) {
    if (ward == null || ward.kind() != Guardianship.Kind.CHILD) {
      return null;
    }
    ChildSafety safety = purpose.children();
    if (safety.detrimental()) {
      return Decision.deny(
          ReasonCode.DETRIMENTAL_TO_CHILD,
          purpose.basis(),
          "purpose '"
              + purpose.id()
              + "' is likely to harm a child's well-being; it is never done for a child (DPDP"
              + " s.9(2))");
    }
    if (safety.tracksOrTargets() && safety.exemption() == null) {
      return Decision.deny(
          ReasonCode.CHILD_TRACKING_OR_ADVERTISING,
          purpose.basis(),
          "purpose '"
              + purpose.id()
              + "' tracks, monitors behaviour or targets advertising, which is not done for a"
              + " child"
              + (regime == Regime.GDPR
                  ? " (GDPR Recital 38)"
                  : " (DPDP s.9(3); no exemption of the Fourth Schedule is claimed)"));
    }
    return null;
  }

  /**
   * {@code allowed} (a valid consent) unless the subject is a ward and the consent was not given by
   * a verified guardian, for a purpose no exemption covers.
   */
  static Decision afterConsent(Purpose purpose, Guardianship ward, Decision allowed) {
    if (ward == null || ward.consentByGuardian() || purpose.children().exemption() != null) {
      return allowed;
    }
    return Decision.deny(
        ReasonCode.GUARDIAN_CONSENT_REQUIRED,
        purpose.basis(),
        "the subject is "
            + (ward.kind() == Guardianship.Kind.CHILD
                ? "a child"
                : "a person with a disability who has a lawful guardian")
            + "; consent for purpose '"
            + purpose.id()
            + "' counts only from a verified parent or lawful guardian (DPDP s.9(1); GDPR"
            + " Art. 8(1))");
  }
}
