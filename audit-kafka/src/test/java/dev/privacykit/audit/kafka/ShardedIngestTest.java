package dev.privacykit.audit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.audit.AuditLogException;
import dev.privacykit.audit.AuditRecord;
import dev.privacykit.audit.AuditShards;
import dev.privacykit.audit.ShardPlan;
import dev.privacykit.audit.ShardProof;
import dev.privacykit.audit.ShardVerification;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A sharded log fed through Kafka: the plan's placement picks the partition, partition p feeds
 * shard p through its own sequencer, and the sharded log's verification and shard proofs hold over
 * what the sequencers integrated.
 */
class ShardedIngestTest {
  private static final String ORIGIN = "test.privacykit.dev/audit";
  private static final int SHARDS = 3;
  private static final int TENANTS = 10;
  private static final int PER_TENANT = 12;

  @DatabaseTest
  void tenantsReachOnlyTheirPlacedShard_eachShardGaplessInKafkaOrder_proofsVerifyOffline(
      Database db) {
    String topic = Broker.topic(SHARDS);
    try (AuditShards log =
            AuditShards.open(
                db,
                ShardPlan.hashed(SHARDS),
                c ->
                    c.origin(ORIGIN)
                        .signer(Shards.SIGNER)
                        .checkpointInterval(Duration.ofMillis(100)));
        KafkaAuditIngest ingest =
            KafkaAuditIngest.open(
                c ->
                    c.bootstrapServers(Broker.bootstrapServers())
                        .topic(topic)
                        .shardOf(tenant -> log.plan().placement(tenant, Instant.now())))) {
      Map<String, Integer> placed = new HashMap<>();
      for (int t = 0; t < TENANTS; t++) {
        placed.put(tenant(t), log.plan().placement(tenant(t), Instant.now()));
      }
      assertThat(placed.values()).containsOnly(0, 1, 2).contains(0, 1, 2); // every shard fed
      IngestStatus status = IngestStatus.of(log::shard);

      // Half before any sequencer runs: acknowledged by Kafka, in no shard yet.
      List<Sequenced> acks = appendRounds(ingest, 0, PER_TENANT / 2);
      assertThat(status.status(acks.get(0)).state()).isEqualTo(EntryStatus.State.SEQUENCED);
      for (int id = 0; id < SHARDS; id++) {
        assertThat(log.shard(id).size()).isZero();
      }

      List<ShardSequencer> sequencers = new ArrayList<>();
      try {
        for (int id = 0; id < SHARDS; id++) {
          int shard = id;
          sequencers.add(
              ShardSequencer.start(
                  log.shard(shard),
                  shard,
                  c -> c.bootstrapServers(Broker.bootstrapServers()).topic(topic).maxBatch(16)));
        }
        // The other half while the sequencers integrate.
        acks.addAll(appendRounds(ingest, PER_TENANT / 2, PER_TENANT));
        Shards.await(
            "every entry is integrated",
            () ->
                acks.stream()
                    .allMatch(a -> status.status(a).state() == EntryStatus.State.INTEGRATED));
        for (ShardSequencer sequencer : sequencers) {
          assertThat(sequencer.state()).isEqualTo(ShardSequencer.State.RUNNING);
          long mine = acks.stream().filter(a -> a.partition() == sequencer.partition()).count();
          // a sequencer counts a batch just after its commit, which the status may see first
          Shards.await(
              "the sequencer counted its entries", () -> sequencer.integratedCount() >= mine);
          assertThat(sequencer.integratedCount()).isEqualTo(mine);
        }
      } finally {
        sequencers.forEach(ShardSequencer::close);
      }

      // Each entry went to its tenant's placed partition, and that partition's shard holds it.
      for (int i = 0; i < acks.size(); i++) {
        String tenant = tenant(i % TENANTS);
        Sequenced ack = acks.get(i);
        assertThat(ack.partition()).isEqualTo(placed.get(tenant));
        AuditRecord record =
            log.shard(ack.partition()).read(status.status(ack).seq().getAsLong()).orElseThrow();
        assertThat(record.entry().tenant()).isEqualTo(tenant);
        assertThat(record.entry().requestId()).isEqualTo("req-" + i);
      }
      // Each shard: exactly its partition's records, seq 0.. in Kafka offset order, and no tenant
      // placed elsewhere.
      for (int id = 0; id < SHARDS; id++) {
        int shard = id;
        List<Sequenced> ofShard =
            acks.stream()
                .filter(a -> a.partition() == shard)
                .sorted(Comparator.comparingLong(Sequenced::offset))
                .toList();
        assertThat(log.shard(shard).size()).isEqualTo(ofShard.size());
        for (int n = 0; n < ofShard.size(); n++) {
          assertThat(status.status(ofShard.get(n)).seq()).hasValue(n);
        }
        for (long seq = 0; seq < ofShard.size(); seq++) {
          String tenant = log.shard(shard).read(seq).orElseThrow().entry().tenant();
          assertThat(placed.get(tenant)).as("shard of %s", tenant).isEqualTo(shard);
        }
      }

      ShardVerification verification = log.verify();
      assertThat(verification.problems()).isEmpty();
      assertThat(verification.ok()).isTrue();

      // A proof of an entry integrated from Kafka verifies offline against the top-level log, and
      // not as another log's.
      Sequenced last = acks.get(acks.size() - 1);
      long seq = status.status(last).seq().getAsLong();
      ShardProof proof = log.prove(last.partition(), seq);
      proof.verifyOffline(log.topOrigin(), log.verifierKey());
      assertThat(proof.entry().leafHash())
          .isEqualTo(log.shard(last.partition()).read(seq).orElseThrow().leafHash());
      assertThatThrownBy(() -> proof.verifyOffline("another.example/audit/top", log.verifierKey()))
          .isInstanceOf(AuditLogException.class);
    }
  }

  /**
   * Appends rounds {@code from} to {@code to}: one entry per tenant each, entry i of tenant i%10.
   */
  private static List<Sequenced> appendRounds(KafkaAuditIngest ingest, int from, int to) {
    List<CompletableFuture<Sequenced>> pending = new ArrayList<>();
    for (int i = from * TENANTS; i < to * TENANTS; i++) {
      pending.add(ingest.append(Shards.entry(tenant(i % TENANTS), i)));
    }
    return new ArrayList<>(pending.stream().map(CompletableFuture::join).toList());
  }

  private static String tenant(int t) {
    return "tenant" + t;
  }
}
