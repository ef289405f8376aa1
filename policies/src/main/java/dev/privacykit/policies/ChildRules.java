package dev.privacykit.policies;

/**
 * A policy's rules for children's data: the age below which a data principal is a child, and the
 * class of Data Fiduciary the controller belongs to under Part A of the Fourth Schedule to the DPDP
 * Rules, if any.
 *
 * @param age the age of majority for consent: 18 under DPDP (s.2(f)); 13 to 16 under GDPR (Art.
 *     8(1): 16 unless the member state's law sets a lower age, not below 13)
 * @param fiduciaryClass the controller's class under Part A of the Fourth Schedule, or null
 */
public record ChildRules(int age, FourthSchedule fiduciaryClass) {

  /** The default for a regime: 18 under DPDP, 16 under GDPR, no class. */
  public static ChildRules defaults(Regime regime) {
    return new ChildRules(regime == Regime.GDPR ? 16 : 18, null);
  }
}
