package dev.privacykit.audit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditRecord;
import dev.privacykit.audit.SequencedAppends;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Entries appended through Kafka reach the shard's log once each, gapless, in Kafka's order. */
class KafkaIngestTest {

  @DatabaseTest
  void appendedEntries_areSequenced_thenIntegratedOnce_gaplessInKafkaOrder(Database db) {
    String topic = Broker.topic(1);
    try (AuditLog shard = Shards.open(db);
        KafkaAuditIngest ingest =
            KafkaAuditIngest.open(
                c -> c.bootstrapServers(Broker.bootstrapServers()).topic(topic))) {
      IngestStatus status = IngestStatus.of(p -> p == 0 ? shard : null);
      List<CompletableFuture<Sequenced>> pending = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        pending.add(ingest.append(Shards.entry("acme", i)));
      }
      List<Sequenced> acks = pending.stream().map(CompletableFuture::join).toList();
      assertThat(acks).extracting(Sequenced::partition).containsOnly(0);
      assertThat(acks).extracting(Sequenced::offset).doesNotHaveDuplicates();
      // acknowledged, in Kafka, not in the tree
      assertThat(status.status(acks.get(0)).state()).isEqualTo(EntryStatus.State.SEQUENCED);
      assertThat(shard.size()).isZero();

      try (ShardSequencer sequencer =
          ShardSequencer.start(
              shard,
              0,
              c -> c.bootstrapServers(Broker.bootstrapServers()).topic(topic).maxBatch(64))) {
        Shards.await(
            "all 300 are integrated",
            () -> status.status(acks.get(299)).state() == EntryStatus.State.INTEGRATED);
        // the sequencer counts a batch just after its commit, which the status may see first
        Shards.await("the sequencer counted 300", () -> sequencer.integratedCount() == 300);
        assertThat(sequencer.nextOffset()).isEqualTo(acks.get(299).offset() + 1);
        assertThat(sequencer.lastLatency()).isNotNull();
        assertThat(sequencer.state()).isEqualTo(ShardSequencer.State.RUNNING);
      }

      assertThat(shard.size()).isEqualTo(300);
      assertThat(SequencedAppends.of(shard).nextOffset()).isEqualTo(acks.get(299).offset() + 1);
      for (int i = 0; i < 300; i++) {
        EntryStatus s = status.status(acks.get(i));
        assertThat(s.state()).isEqualTo(EntryStatus.State.INTEGRATED);
        // Kafka order is tree order; each entry once (the size is 300, and each maps to its own
        // seq)
        assertThat(s.seq()).hasValue(acks.get(i).offset() - acks.get(0).offset());
        AuditRecord record = shard.read(s.seq().getAsLong()).orElseThrow();
        assertThat(record.entry().requestId()).isEqualTo("req-" + i);
      }
      assertThat(shard.verify().failure()).isEmpty();
    }
  }
}
