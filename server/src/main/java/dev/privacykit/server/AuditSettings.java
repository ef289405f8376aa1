package dev.privacykit.server;

import dev.privacykit.audit.AuditLogConfig;
import dev.privacykit.audit.WitnessEndpoint;
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

  /** Applies them to an audit log's configuration. */
  public void applyTo(AuditLogConfig config) {
    config.verifierKey(verifierKey).witnesses(witnesses, Math.max(quorum, 1));
  }
}
