package dev.privacykit.audit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.SequencedAppends;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Two sequencers on one partition and one shard, in two "processes" (two pools, two logs): the log
 * holds each offset once and in order, and the loser is fenced.
 */
class SequencerRaceTest {

  static void raceTwoSequencers(TestDatabase test, KafkaAuditConfig.OnFenced policy) {
    String topic = Broker.topic(1);
    try (AuditLog shard = Shards.open(test.database());
        Database otherPool = test.openAnother();
        AuditLog otherProcess = Shards.open(otherPool);
        KafkaAuditIngest ingest =
            KafkaAuditIngest.open(c -> c.bootstrapServers(Broker.bootstrapServers()).topic(topic));
        ShardSequencer a = start(shard, topic, policy);
        ShardSequencer b = start(otherProcess, topic, policy)) {
      Shards.await(
          "both read the shard's offset", () -> a.nextOffset() >= 0 && b.nextOffset() >= 0);
      List<CompletableFuture<Sequenced>> pending = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        pending.add(ingest.append(Shards.entry("acme", i)));
        if (i % 50 == 49) {
          ingest.flush();
        }
      }
      List<Sequenced> acks = pending.stream().map(CompletableFuture::join).toList();
      Shards.await("all 400 are integrated", () -> shard.size() == 400);
      Shards.await("a sequencer was fenced", () -> a.fencedCount() + b.fencedCount() > 0);

      // each counts a batch just after its commit, which the size may show first
      Shards.await(
          "the sequencers counted 400", () -> a.integratedCount() + b.integratedCount() >= 400);
      assertThat(a.integratedCount() + b.integratedCount()).isEqualTo(400);
      if (policy == KafkaAuditConfig.OnFenced.STOP) {
        assertThat(List.of(a.state(), b.state()))
            .containsExactlyInAnyOrder(ShardSequencer.State.FENCED, ShardSequencer.State.RUNNING);
      }
      SequencedAppends sequenced = SequencedAppends.of(shard);
      assertThat(sequenced.nextOffset()).isEqualTo(acks.get(399).offset() + 1);
      for (int i = 0; i < 400; i++) {
        long seq = sequenced.position(acks.get(i).offset()).seq().orElseThrow();
        assertThat(seq).isEqualTo(i);
        assertThat(shard.read(seq).orElseThrow().entry().requestId()).isEqualTo("req-" + i);
      }
      assertThat(shard.verify().failure()).isEmpty();
    }
  }

  private static ShardSequencer start(
      AuditLog shard, String topic, KafkaAuditConfig.OnFenced policy) {
    return ShardSequencer.start(
        shard,
        0,
        c ->
            c.bootstrapServers(Broker.bootstrapServers())
                .topic(topic)
                .maxBatch(25)
                .onFenced(policy));
  }

  @DatabaseTest
  void twoSequencersOnOneShard_eachOffsetOnceInOrder_andTheLoserStops(TestDatabase test) {
    raceTwoSequencers(test, KafkaAuditConfig.OnFenced.STOP);
  }
}
