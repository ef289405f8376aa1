package dev.privacykit.audit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.testing.DatabaseTest;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;

/**
 * Records deleted from Kafka before they were integrated: the sequencer stops and says so, rather
 * than start after the hole as if nothing were missing.
 */
class SequencerLostRecordsTest {

  @DatabaseTest(Dialect.H2)
  void recordsDeletedBeforeIntegration_stopTheSequencer_andNothingIsSkippedSilently(Database db)
      throws Exception {
    String topic = Broker.topic(1);
    try (AuditLog shard = Shards.open(db);
        KafkaAuditIngest ingest =
            KafkaAuditIngest.open(c -> c.bootstrapServers(Broker.bootstrapServers()).topic(topic));
        Admin admin = Admin.create(Map.of("bootstrap.servers", Broker.bootstrapServers()))) {
      for (int i = 0; i < 10; i++) {
        ingest.append(Shards.entry("acme", i)).join();
      }
      admin
          .deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(4)))
          .all()
          .get();

      try (ShardSequencer sequencer =
          ShardSequencer.start(
              shard, 0, c -> c.bootstrapServers(Broker.bootstrapServers()).topic(topic))) {
        Shards.await(
            "the sequencer stops", () -> sequencer.state() != ShardSequencer.State.RUNNING);
        assertThat(sequencer.state()).isEqualTo(ShardSequencer.State.FAILED);
        assertThat(sequencer.failure())
            .isEqualTo(
                "the shard's stored offset 0 is outside what Kafka holds for "
                    + topic
                    + "-0: records deleted before they were integrated, or the topic was"
                    + " recreated");
      }
      assertThat(shard.size()).isZero();
    }
  }
}
