package dev.privacykit.examples.readme;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditShards;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.audit.ShardPlan;
import dev.privacykit.audit.ShardProof;
import dev.privacykit.audit.ShardVerification;
import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.storage.Database;
import java.nio.file.Path;
import java.time.Instant;

/** audit-log/README.md's shards snippet, compiled and run by ReadmeSnippetsTest. */
public final class AuditShardsReadme {
  private AuditShardsReadme() {}

  /** Runs the snippet on a fresh embedded database in {@code dir}; returns the verification. */
  public static ShardVerification run(Path dir) throws Exception {
    RootKey rootKey = RootKeys.createKeyFile(dir.resolve("root.key"), "a passphrase".toCharArray());
    try (Database database = Database.embedded(dir)) {
      database.migrate();
      CheckpointSigner signer = CheckpointSigner.open(database, rootKey, "audit.example.com/log");
      // readme:begin
      ShardPlan plan =
          ShardPlan.hashed(8) // shards 0-7 shared by tenant hash; shard 0 = the existing tables
              .dedicated(8, "bigcorp") // a big tenant on a shard of its own
              .window(8, null, Instant.parse("2027-01-01T00:00:00Z")); // closed (read-only) after
      AuditShards log =
          AuditShards.open(database, plan, c -> c.origin("audit.example.com/log").signer(signer));
      AuditShards.Ref ref =
          log.append(AuditEntry.builder("acme", "svc:orders", Action.READ).build(), null).join();
      ShardProof proof = log.prove(ref.shard(), ref.seq()); // shard proof + top-level proof
      proof.verifyOffline(log.topOrigin(), log.verifierKey()); // no database needed
      ShardVerification v = log.verify(); // every shard, the top-level log, and their agreement
      // readme:end
      log.close();
      return v;
    }
  }
}
