package dev.privacykit.examples.readme;

import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.kafka.EntryStatus;
import dev.privacykit.audit.kafka.IngestStatus;
import dev.privacykit.audit.kafka.KafkaAuditIngest;
import dev.privacykit.audit.kafka.Sequenced;
import dev.privacykit.audit.kafka.ShardSequencer;
import java.util.List;

/**
 * audit-kafka/README.md's snippet, compiled by ReadmeSnippetsTest (run against a real broker by
 * audit-kafka's own tests, which this module does not start).
 */
public final class AuditKafkaReadme {
  private AuditKafkaReadme() {}

  /** Appends {@code entry} through Kafka and starts shard 3's sequencer; returns the status. */
  public static EntryStatus run(AuditEntry entry, AuditLog shardLog, List<AuditLog> shards) {
    // readme:begin
    KafkaAuditIngest ingest =
        KafkaAuditIngest.open(
            c ->
                c.bootstrapServers("kafka:9092")
                    .topic("privacykit-audit")); // one partition per shard
    Sequenced at = ingest.append(entry).join(); // in Kafka (acks=all), not yet in the tree
    ShardSequencer sequencer =
        ShardSequencer.start(
            shardLog,
            3,
            c -> c.bootstrapServers("kafka:9092").topic("privacykit-audit")); // partition 3
    EntryStatus status = IngestStatus.of(shards::get).status(at); // SEQUENCED, then INTEGRATED
    // readme:end
    sequencer.close();
    ingest.close();
    return status;
  }
}
