package dev.privacykit.audit.kafka;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.storage.Database;
import java.nio.file.Path;

/**
 * The sequencer process {@link SequencerKillTest} SIGKILLs: integrates partition 0 of a topic into
 * the shard in a PostgreSQL schema, in batches of 50, until killed. Arguments: JDBC URL, schema,
 * key file, passphrase, bootstrap servers, topic.
 */
public final class SequencerChild {
  private SequencerChild() {}

  public static void main(String[] args) throws Exception {
    RootKey root = RootKeys.fromKeyFile(Path.of(args[2]), args[3].toCharArray());
    Database db = Database.open(args[0], c -> c.schema(args[1]));
    CheckpointSigner signer = CheckpointSigner.open(db, root, SequencerKillTest.ORIGIN);
    AuditLog shard = AuditLog.open(db, c -> c.origin(SequencerKillTest.ORIGIN).signer(signer));
    ShardSequencer.start(shard, 0, c -> c.bootstrapServers(args[4]).topic(args[5]).maxBatch(50));
    System.out.println("STARTED");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
