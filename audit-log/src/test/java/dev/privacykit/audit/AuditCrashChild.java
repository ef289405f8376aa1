package dev.privacykit.audit;

import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.storage.Database;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * The process {@link AuditCrashTest} kills: appends entries as fast as it can and prints "ACK seq"
 * for each acknowledged one. Arguments: JDBC URL, schema (or "-"), key file, passphrase.
 */
public final class AuditCrashChild {
  private AuditCrashChild() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String schema = args[1];
    RootKey root = RootKeys.fromKeyFile(Path.of(args[2]), args[3].toCharArray());
    Database db =
        "-".equals(schema) ? Database.open(url) : Database.open(url, c -> c.schema(schema));
    db.migrate();
    CheckpointSigner signer = CheckpointSigner.open(db, root, "crash.test/audit");
    AuditLog log =
        AuditLog.open(
            db,
            c ->
                c.origin("crash.test/audit")
                    .signer(signer)
                    .subjectKeys(SubjectKeys.open(db, root)));
    PrintStream out = new PrintStream(System.out, true, "UTF-8");
    out.println("READY");
    Semaphore inFlight = new Semaphore(64);
    for (int i = 0; i < 1_000_000; i++) {
      inFlight.acquire();
      log.append(Logs.read("subj_crash_" + (i % 50)))
          .whenComplete(
              (seq, error) -> {
                if (error == null) {
                  synchronized (out) {
                    out.println("ACK " + seq);
                  }
                }
                inFlight.release();
              });
    }
  }
}
