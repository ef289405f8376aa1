package dev.privacykit.server;

import dev.privacykit.audit.AuditRouter;
import dev.privacykit.consent.Incidents;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.storage.Database;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens the breach register from the {@code incidents.*} settings: the detector's thresholds (each
 * 1 or more, named in the message when not), the policy's regime for candidates, and the tenants
 * the issuers may assert as extra tenants to scan. Stateless.
 */
final class IncidentSettings {
  private IncidentSettings() {}

  static Incidents open(
      ServerConfig config, Database database, AuditRouter audit, PolicySet policy) {
    int decrypts = threshold(config, Setting.INCIDENT_DECRYPTS);
    int exports = threshold(config, Setting.INCIDENT_EXPORTS);
    int denials = threshold(config, Setting.INCIDENT_DENIALS);
    if (config.integer(Setting.INCIDENT_SCAN_MINUTES) < 0
        || config.integer(Setting.INCIDENT_SCAN_MINUTES) > 10_080) {
      throw new IllegalArgumentException(
          Setting.INCIDENT_SCAN_MINUTES.label() + " must be 0 to 10080 (a week)");
    }
    Set<String> tenants = new TreeSet<>();
    for (ServerConfig.TrustedIssuer issuer : config.trustedIssuers()) {
      if (issuer.tenants() != null) {
        issuer.tenants().stream().filter(t -> !t.equals("*")).forEach(tenants::add);
      }
    }
    return Incidents.open(
        database,
        c ->
            c.audit(audit)
                .regime(policy.regime())
                .decryptThreshold(decrypts)
                .exportThreshold(exports)
                .deniedThreshold(denials)
                .tenants(tenants));
  }

  private static int threshold(ServerConfig config, Setting setting) {
    int value = config.integer(setting);
    if (value < 1 || value > 10_000_000) {
      throw new IllegalArgumentException(setting.label() + " must be 1 to 10000000");
    }
    return value;
  }
}
