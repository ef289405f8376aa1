package dev.privacykit.audit;

import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.storage.Database;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * One of the processes {@link ShardProcessesTest} starts: opens the sharded log on a shared
 * PostgreSQL schema, appends entries of twelve tenants (64 in flight), prints "ACK shard seq" for
 * each acknowledged one, then closes the log (recording the final shard checkpoints) and prints
 * "DONE". Arguments: JDBC URL, schema, key file, passphrase, shard count, entries, process name.
 */
public final class ShardAppendChild {
  private ShardAppendChild() {}

  public static void main(String[] args) throws Exception {
    RootKey root = RootKeys.fromKeyFile(Path.of(args[2]), args[3].toCharArray());
    int shards = Integer.parseInt(args[4]);
    int entries = Integer.parseInt(args[5]);
    String name = args[6];
    PrintStream out = new PrintStream(System.out, true, "UTF-8");
    try (Database db = Database.open(args[0], c -> c.schema(args[1]))) {
      CheckpointSigner signer = CheckpointSigner.open(db, root, "shards.test/audit");
      SubjectKeys keys = SubjectKeys.open(db, root);
      try (AuditShards log =
          AuditShards.open(
              db,
              ShardPlan.hashed(shards),
              c -> c.origin("shards.test/audit").signer(signer).subjectKeys(keys))) {
        out.println("READY");
        Semaphore inFlight = new Semaphore(64);
        for (int i = 0; i < entries; i++) {
          inFlight.acquire();
          AuditEntry entry =
              AuditEntry.builder("tenant" + (i % 12), "svc:" + name, Action.READ)
                  .subject("subj_" + (i % 40))
                  .requestId(name + "-" + i)
                  .body("{\"i\":" + i + "}")
                  .build();
          log.append(entry, null)
              .whenComplete(
                  (ref, error) -> {
                    if (error == null) {
                      synchronized (out) {
                        out.println("ACK " + ref.shard() + " " + ref.seq());
                      }
                    }
                    inFlight.release();
                  });
        }
        inFlight.acquire(64);
        log.sync().join();
      }
    }
    out.println("DONE");
  }
}
