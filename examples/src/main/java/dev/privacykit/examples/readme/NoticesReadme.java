package dev.privacykit.examples.readme;

import dev.privacykit.consent.ConsentChange;
import dev.privacykit.consent.ConsentEvent;
import dev.privacykit.consent.ConsentLedger;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.storage.Database;

/** consent/README.md's notice-hash snippet, compiled and run by ReadmeSnippetsTest. */
public final class NoticesReadme {
  private NoticesReadme() {}

  /** Runs the snippet under the DPDP pack; true when the event holds the Hindi text's hash. */
  public static boolean run(Database db) {
    PolicySet policy = PolicyPacks.dpdp();
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(policy))) {
      // readme:begin
      String hash =
          policy
              .notice("dpdp-notice")
              .flatMap(n -> n.version(2))
              .flatMap(v -> v.hash("hi"))
              .orElseThrow();
      ConsentEvent e =
          ledger.give(ConsentChange.of("acme", "subj_8f3a", "usage_analytics", 2, "hi"));
      e.provenance().noticeHash(); // == hash: the SHA-256 of the exact Hindi text of version 2
      // readme:end
      return hash.equals(e.provenance().noticeHash());
    }
  }
}
