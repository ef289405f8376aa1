package dev.privacykit.examples.readme;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.consent.ConsentLedger;
import dev.privacykit.crypto.FieldCipher;
import dev.privacykit.crypto.FieldContext;
import dev.privacykit.crypto.Keyring;
import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.policies.Decision;
import dev.privacykit.policies.DecisionEngine;
import dev.privacykit.policies.DecisionRequest;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.storage.Database;
import java.nio.file.Path;
import java.util.Set;

/** The top-level README's "Library use in ten lines", compiled and run by ReadmeSnippetsTest. */
public final class LibraryQuickStart {
  private LibraryQuickStart() {}

  /** Runs the snippet in {@code dir}; returns the decision it ends with. */
  public static Decision run(Path dir) throws Exception {
    char[] passphrase = "correct horse battery staple".toCharArray();
    RootKeys.createKeyFile(dir.resolve("root.key"), passphrase);
    // readme:begin
    Database db = Database.embedded(dir);
    db.migrate(); // or Database.open(postgresUrl)
    RootKey root =
        RootKeys.fromKeyFile(dir.resolve("root.key"), passphrase); // RootKeys.createKeyFile first
    FieldCipher cipher = FieldCipher.randomized(Keyring.open(db, root));
    String email =
        cipher.encryptToString(
            "alice@example.com", FieldContext.of("acme", "users", "email", "42"));
    CheckpointSigner signer = CheckpointSigner.open(db, root, "audit.example.com/log");
    AuditLog audit =
        AuditLog.open(
            db,
            c ->
                c.origin("audit.example.com/log")
                    .signer(signer)
                    .subjectKeys(SubjectKeys.open(db, root)));
    audit
        .append(
            AuditEntry.builder("acme", "svc:orders", Action.READ)
                .subject("subj_42")
                .purpose("order_fulfilment")
                .build())
        .join();
    ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(PolicyPacks.gdpr()).audit(audit));
    Decision d =
        new DecisionEngine(PolicyPacks.gdpr(), ledger.lookup())
            .decide(DecisionRequest.of("acme", "subj_42", "email_marketing", Set.of()));
    // readme:end
    if (email.contains("alice")) {
      throw new IllegalStateException("not encrypted");
    }
    ledger.close();
    audit.close();
    db.close();
    return d;
  }
}
