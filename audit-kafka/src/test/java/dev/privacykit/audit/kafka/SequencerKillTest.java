package dev.privacykit.audit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.audit.SequencedAppends;
import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A sequencer process SIGKILLed while it integrates (no shutdown, its transaction cut wherever it
 * was): the shard holds whole batches only, and the sequencer started after it integrates every
 * later record once, gapless, in Kafka's order.
 */
class SequencerKillTest {
  static final String ORIGIN = "test.privacykit.dev/kill";
  private static final String PASSPHRASE = "sequencer kill passphrase";
  private static final int RECORDS = 6000;

  @DatabaseTest(Dialect.POSTGRESQL)
  void aSequencerProcessKilledMidStream_losesAndRepeatsNothing(TestDatabase test) throws Exception {
    Path dir = Files.createTempDirectory("pk-sequencer-kill");
    Path keyFile = dir.resolve("root.key");
    RootKey root = RootKeys.createKeyFile(keyFile, PASSPHRASE.toCharArray());
    Database db = test.database();
    CheckpointSigner signer = CheckpointSigner.open(db, root, ORIGIN);
    String topic = Broker.topic(1);
    try (AuditLog shard = AuditLog.open(db, c -> c.origin(ORIGIN).signer(signer));
        KafkaAuditIngest ingest =
            KafkaAuditIngest.open(
                c -> c.bootstrapServers(Broker.bootstrapServers()).topic(topic))) {
      List<CompletableFuture<Sequenced>> pending = new ArrayList<>();
      for (int i = 0; i < RECORDS; i++) {
        pending.add(ingest.append(Shards.entry("acme", i)));
      }
      List<Sequenced> acks = pending.stream().map(CompletableFuture::join).toList();
      long first = acks.get(0).offset();

      Process child = start(test, keyFile, topic);
      try {
        Shards.await("the child integrated some batches", () -> shard.size() > 300);
        child.destroyForcibly(); // SIGKILL, mid-stream
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        child.destroyForcibly();
      }
      long killedAt = shard.size();
      assertThat(killedAt).isLessThan(RECORDS); // it was stopped before the end
      // Whole batches only: the stored offset and the tree agree.
      SequencedAppends sequenced = SequencedAppends.of(shard);
      assertThat(sequenced.nextOffset() - first).isEqualTo(killedAt);

      try (ShardSequencer next =
          ShardSequencer.start(
              shard, 0, c -> c.bootstrapServers(Broker.bootstrapServers()).topic(topic))) {
        Shards.await("every record is integrated", () -> shard.size() == RECORDS);
        Shards.await("the sequencer counted its part", () -> next.integratedCount() >= 1);
        assertThat(next.fencedCount()).isZero();
      }
      IngestStatus status = IngestStatus.of(p -> p == 0 ? shard : null);
      for (int i = 0; i < RECORDS; i++) {
        EntryStatus s = status.status(acks.get(i));
        assertThat(s.state()).isEqualTo(EntryStatus.State.INTEGRATED);
        assertThat(s.seq()).hasValue(acks.get(i).offset() - first);
      }
      assertThat(shard.read(RECORDS - 1).orElseThrow().entry().requestId())
          .isEqualTo("req-" + (RECORDS - 1));
      assertThat(shard.verify().failure()).isEmpty();
    }
  }

  private static Process start(TestDatabase test, Path keyFile, String topic) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                SequencerChild.class.getName(),
                test.url(),
                test.schema(),
                keyFile.toString(),
                PASSPHRASE,
                Broker.bootstrapServers(),
                topic)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("the sequencer process started").isEqualTo("STARTED");
    return child;
  }
}
