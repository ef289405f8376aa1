package dev.privacykit.audit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Tenants go to their shard's partition and only that shard's log takes them; a record that is not
 * an entry is skipped, and says so, without stopping the shard.
 */
class ShardRoutingTest {

  @DatabaseTest
  void eachTenantReachesOnlyItsShard_andAnUnreadableRecordIsSkipped(Database db) throws Exception {
    String topic = Broker.topic(2);
    Database second = Database.open(Database.inMemoryUrl("shard1_" + UUID.randomUUID()));
    second.migrate();
    try (second;
        AuditLog shard0 = Shards.open(db);
        AuditLog shard1 = Shards.open(second);
        KafkaAuditIngest ingest =
            KafkaAuditIngest.open(
                c ->
                    c.bootstrapServers(Broker.bootstrapServers())
                        .topic(topic)
                        .shardOf(tenant -> tenant.equals("acme") ? 0 : 1))) {
      IngestStatus status = IngestStatus.of(p -> p == 0 ? shard0 : p == 1 ? shard1 : null);
      List<CompletableFuture<Sequenced>> pending = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        pending.add(ingest.append(Shards.entry(i % 3 == 0 ? "globex" : "acme", i)));
      }
      List<Sequenced> acks =
          new ArrayList<>(pending.stream().map(CompletableFuture::join).toList());
      Sequenced garbage = sendGarbage(topic);
      pending.clear();
      for (int i = 60; i < 70; i++) {
        pending.add(ingest.append(Shards.entry("acme", i)));
      }
      acks.addAll(pending.stream().map(CompletableFuture::join).toList());

      try (ShardSequencer zero = start(shard0, 0, topic);
          ShardSequencer one = start(shard1, 1, topic)) {
        Shards.await("shard 0 has its 50", () -> shard0.size() == 50);
        Shards.await("shard 1 has its 20", () -> shard1.size() == 20);
        Shards.await("shard 0 passed the garbage", () -> zero.skippedCount() == 1);
        assertThat(one.skippedCount()).isZero();
      }
      for (int i = 0; i < 70; i++) {
        String tenant = i % 3 == 0 && i < 60 ? "globex" : "acme";
        AuditLog shard = tenant.equals("acme") ? shard0 : shard1;
        assertThat(acks.get(i).partition()).isEqualTo(tenant.equals("acme") ? 0 : 1);
        EntryStatus s = status.status(acks.get(i));
        assertThat(s.state()).isEqualTo(EntryStatus.State.INTEGRATED);
        var record = shard.read(s.seq().getAsLong()).orElseThrow();
        assertThat(record.entry().tenant()).isEqualTo(tenant);
        assertThat(record.entry().requestId()).isEqualTo("req-" + i);
      }
      assertThat(status.status(garbage).state()).isEqualTo(EntryStatus.State.SKIPPED);
      assertThat(shard0.verify().failure()).isEmpty();
      assertThat(shard1.verify().failure()).isEmpty();
    }
  }

  private static ShardSequencer start(AuditLog shard, int partition, String topic) {
    return ShardSequencer.start(
        shard, partition, c -> c.bootstrapServers(Broker.bootstrapServers()).topic(topic));
  }

  /** A record in acme's partition that is not an audit entry. */
  private static Sequenced sendGarbage(String topic) throws Exception {
    try (KafkaProducer<byte[], byte[]> raw =
        new KafkaProducer<>(
            Map.of(
                "bootstrap.servers", Broker.bootstrapServers(),
                "key.serializer", ByteArraySerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()))) {
      var metadata =
          raw.send(
                  new ProducerRecord<>(
                      topic, 0, null, "{\"v\":1,\"tenant\":7}".getBytes(StandardCharsets.UTF_8)))
              .get();
      return new Sequenced(topic, metadata.partition(), metadata.offset());
    }
  }
}
