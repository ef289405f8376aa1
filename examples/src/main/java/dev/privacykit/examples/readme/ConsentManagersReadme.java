package dev.privacykit.examples.readme;

import dev.privacykit.consent.ConsentLedger;
import dev.privacykit.consent.ConsentManagers;
import dev.privacykit.consent.ManagerChange;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.storage.Database;
import java.util.List;

/** consent/README.md's Consent Manager snippet, compiled and run by ReadmeSnippetsTest. */
public final class ConsentManagersReadme {
  private ConsentManagersReadme() {}

  /** Runs the snippet; returns what was applied and the changes queued back after it. */
  public static Object[] run(
      Database db,
      ConsentLedger ledger,
      PolicySet policy,
      String jwksJson,
      String webhookIdOrNull,
      String compactJws,
      long lastCursor) {
    // readme:begin
    ConsentManagers managers = ConsentManagers.open(db, c -> c.ledger(ledger).policy(policy));
    managers.register("acme", "cm-one", "CM/2026/0001", "One Consent", jwksJson, webhookIdOrNull);
    ConsentManagers.Applied applied = managers.submit("acme", "cm-one", compactJws);
    List<ManagerChange> back = managers.changes("acme", "cm-one", lastCursor, 100);
    // readme:end
    return new Object[] {applied, back};
  }
}
