package dev.privacykit.audit.kafka;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.SequencedAppends;
import java.util.OptionalLong;
import java.util.function.IntFunction;

/**
 * The status of sequenced entries, read from the shards' logs: one read of the shard's head and
 * offset map, so an answer is never a mix of two moments. Thread-safe.
 */
public final class IngestStatus {
  private final IntFunction<AuditLog> shards;

  private IngestStatus(IntFunction<AuditLog> shards) {
    this.shards = shards;
  }

  /** Status over the shards' logs, found by partition. */
  public static IngestStatus of(IntFunction<AuditLog> shardOfPartition) {
    return new IngestStatus(shardOfPartition);
  }

  /** The status of what {@link KafkaAuditIngest#append} acknowledged. */
  public EntryStatus status(Sequenced sequenced) {
    return status(sequenced.partition(), sequenced.offset());
  }

  /**
   * The status of the record at {@code offset} of {@code partition}.
   *
   * @throws IllegalArgumentException if no shard serves the partition
   */
  public EntryStatus status(int partition, long offset) {
    AuditLog log = shards.apply(partition);
    if (log == null) {
      throw new IllegalArgumentException("no shard serves partition " + partition);
    }
    SequencedAppends.Position position = SequencedAppends.of(log).position(offset);
    if (position.isIntegrated()) {
      return new EntryStatus(EntryStatus.State.INTEGRATED, position.seq());
    }
    return new EntryStatus(
        position.isSkipped() ? EntryStatus.State.SKIPPED : EntryStatus.State.SEQUENCED,
        OptionalLong.empty());
  }
}
