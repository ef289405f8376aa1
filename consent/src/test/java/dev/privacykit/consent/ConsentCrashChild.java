package dev.privacykit.consent;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.storage.Database;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The process {@link ConsentAuditCrashTest} kills: records consent changes one after another and
 * prints "ACK event-id" for each acknowledged one. Arguments: JDBC URL, schema, key file,
 * passphrase, tenant.
 */
public final class ConsentCrashChild {
  private ConsentCrashChild() {}

  public static void main(String[] args) throws Exception {
    RootKey root = RootKeys.fromKeyFile(Path.of(args[2]), args[3].toCharArray());
    Database db = Database.open(args[0], c -> c.schema(args[1]));
    CheckpointSigner signer = CheckpointSigner.open(db, root, "crash.test/audit");
    AuditLog audit =
        AuditLog.open(
            db,
            c ->
                c.origin("crash.test/audit")
                    .signer(signer)
                    .subjectKeys(SubjectKeys.open(db, root)));
    ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(PolicyPacks.gdpr()).audit(audit));
    PrintStream out = new PrintStream(System.out, true, "UTF-8");
    out.println("READY");
    for (int i = 0; i < 1_000_000; i++) {
      ConsentEvent event =
          ledger.give(ConsentChange.of(args[4], "subj_" + i, "email_marketing", 2, "en"));
      out.println("ACK " + event.eventId());
    }
  }
}
