package dev.privacykit.policies;

import java.util.Set;

/**
 * Where a regime's personal data is at home: the European Economic Area for the GDPR, India for the
 * DPDP Act. A recipient elsewhere receives a transfer to a third country.
 */
final class HomeRegion {
  /** The 27 EU member states and Iceland, Liechtenstein and Norway (ISO 3166 alpha-2). */
  static final Set<String> EEA =
      Set.of(
          "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
          "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO");

  private HomeRegion() {}

  /** Whether {@code country} is outside the home region of {@code regime}; false when unknown. */
  static boolean isThirdCountry(Regime regime, String country) {
    if (regime == null || country == null) {
      return false;
    }
    return regime == Regime.GDPR ? !EEA.contains(country) : !"IN".equals(country);
  }
}
