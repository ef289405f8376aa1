package dev.privacykit.server;

import dev.privacykit.audit.AuditLogConfig;
import dev.privacykit.audit.WitnessEndpoint;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.policies.Regime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The audit log's anchoring settings: the pinned verifier key, the witnesses and their quorum,
 * checked when the configuration loads (a bad value stops the start naming its setting).
 *
 * @param verifierKey the pinned key, or null
 * @param witnesses where checkpoints are published
 * @param quorum how many must cosign (0 without witnesses)
 */
public record AuditSettings(String verifierKey, List<WitnessEndpoint> witnesses, int quorum) {

  /** Reads and checks the settings. */
  static AuditSettings of(Map<Setting, String> values) {
    String pinned = values.get(Setting.AUDIT_VERIFIER_KEY);
    try {
      AuditLogConfig.checkVerifierKey(pinned.isBlank() ? null : pinned);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          Setting.AUDIT_VERIFIER_KEY.label() + ": " + e.getMessage());
    }
    List<WitnessEndpoint> witnesses = new ArrayList<>();
    for (String item : Arrays.asList(values.get(Setting.AUDIT_WITNESSES).split(","))) {
      if (item.isBlank()) {
        continue;
      }
      try {
        witnesses.add(WitnessEndpoint.parse(item.strip()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(Setting.AUDIT_WITNESSES.label() + ": " + e.getMessage());
      }
    }
    String quorumText = values.get(Setting.AUDIT_WITNESS_QUORUM);
    int quorum = witnesses.size();
    if (!quorumText.isBlank()) {
      if (!quorumText.matches("[0-9]{1,3}")
          || Integer.parseInt(quorumText) < 1
          || Integer.parseInt(quorumText) > Math.max(1, witnesses.size())) {
        throw new IllegalArgumentException(
            Setting.AUDIT_WITNESS_QUORUM.label() + " must be 1 to the number of witnesses");
      }
      quorum = witnesses.isEmpty() ? 0 : Integer.parseInt(quorumText);
    }
    return new AuditSettings(pinned.isBlank() ? null : pinned, List.copyOf(witnesses), quorum);
  }

  /** Days an audit entry must be kept under a DPDP policy: a year, leap day included. */
  static final int DPDP_MINIMUM_DAYS = 366;

  /**
   * Refuses an {@code audit.retention_days} shorter than a year under a DPDP policy: DPDP Rules
   * 2025, rule 6(1)(e) (logs kept a year to detect and investigate unauthorised access) and rule
   * 8(3) (logs of processing kept at least a year from the processing).
   */
  static void requireRetention(ServerConfig config, PolicySet policy) {
    int days = config.integer(Setting.AUDIT_RETENTION_DAYS);
    if (policy.regime() == Regime.DPDP && days > 0 && days < DPDP_MINIMUM_DAYS) {
      throw new IllegalArgumentException(
          Setting.AUDIT_RETENTION_DAYS.label()
              + " must be 0 (keep everything) or at least "
              + DPDP_MINIMUM_DAYS
              + " under a DPDP policy: the DPDP Rules 2025 (rules 6(1)(e) and 8(3)) keep logs of"
              + " processing for at least one year; was "
              + days);
    }
  }

  /** Applies them to an audit log's configuration, with the retention floor the regime sets. */
  public void applyTo(AuditLogConfig config, PolicySet policy) {
    config.verifierKey(verifierKey).witnesses(witnesses, Math.max(quorum, 1));
    if (policy.regime() == Regime.DPDP) {
      config.minimumRetention(java.time.Period.ofYears(1));
    }
  }
}
