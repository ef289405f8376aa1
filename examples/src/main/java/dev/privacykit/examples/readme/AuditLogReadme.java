package dev.privacykit.examples.readme;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.Checkpoint;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.audit.SubjectAccessReport;
import dev.privacykit.audit.Verification;
import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.storage.Database;
import java.nio.file.Path;
import java.util.List;

/** audit-log/README.md's snippet, compiled and run by ReadmeSnippetsTest. */
public final class AuditLogReadme {
  private AuditLogReadme() {}

  /** Runs the snippet on a fresh embedded database in {@code dir}; returns the verification. */
  public static Verification run(Path dir) throws Exception {
    RootKey rootKey = RootKeys.createKeyFile(dir.resolve("root.key"), "a passphrase".toCharArray());
    try (Database database = Database.embedded(dir)) {
      database.migrate();
      SubjectKeys subjectKeys = SubjectKeys.open(database, rootKey);
      // readme:begin
      CheckpointSigner signer = CheckpointSigner.open(database, rootKey, "audit.example.com/log");
      AuditLog log =
          AuditLog.open(
              database,
              c ->
                  c.origin("audit.example.com/log")
                      .signer(signer)
                      .subjectKeys(subjectKeys)); // bodies encrypted per subject
      long seq =
          log.append(
                  AuditEntry.builder("acme", "svc:orders", Action.READ)
                      .subject("subj_8f3a")
                      .purpose("order_fulfilment")
                      .legalBasis("gdpr:contract")
                      .categories(List.of("user.contact.email"))
                      .body("{\"ip\":\"203.0.113.7\"}")
                      .build())
              .join();
      Checkpoint cp = log.checkpoint(); // signed note, keep it elsewhere
      log.inclusionProof(seq, cp.size())
          .verifyOffline(cp.note(), log.verifierKey()); // no database needed
      Verification v =
          log.verify(); // "audit log broken at seq 1042 (LEAF): calculated …, stored …; last good
      // checkpoint 1000"
      SubjectAccessReport report = log.reports().subjectAccess("acme", "subj_8f3a");
      // readme:end
      if (report.entries().isEmpty()) {
        throw new IllegalStateException("the report misses the entry");
      }
      log.close();
      return v;
    }
  }
}
