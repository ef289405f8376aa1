package dev.privacykit.audit.kafka;

import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditLogException;
import dev.privacykit.audit.SequencedAppends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Integrates one partition of the topic into one shard's log, on a thread of its own: reads the
 * shard's stored offset, seeks there, and writes each polled batch with {@link
 * SequencedAppends#integrate}, which checks and moves the stored offset in the batch's transaction.
 *
 * <pre>{@code
 * ShardSequencer sequencer = ShardSequencer.start(shardLog, 3, c -> c
 *     .bootstrapServers("kafka:9092").topic("privacykit-audit"));
 * }</pre>
 *
 * <h2>Security</h2>
 *
 * The stored offset on the shard's head is the only record of progress: the sequencer assigns its
 * partition itself, joins no consumer group and commits no consumer offsets. A crashed sequencer
 * leaves the stored offset at its last committed batch, so its successor reads every record after
 * it exactly once; a stale one (paused, partitioned away) that wakes up after another moved the
 * offset on is refused ({@link AuditLogException.SequencerFenced}) and writes nothing, then stops
 * or re-reads the offset ({@link KafkaAuditConfig#onFenced}). A record that is not a readable entry
 * is skipped, counted and logged by offset only. A stored offset that Kafka no longer holds
 * (records deleted before they were integrated, or a recreated topic) stops the sequencer: it never
 * skips what it did not read.
 *
 * <p>Thread-safe: the accessors may be read from any thread.
 */
public final class ShardSequencer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShardSequencer.class);

  /** What the sequencer is doing. */
  public enum State {
    /** Reading and integrating. */
    RUNNING,
    /**
     * Stopped: another sequencer moved the shard's offset on ({@link KafkaAuditConfig.OnFenced}).
     */
    FENCED,
    /** Stopped: the stored offset is outside what Kafka holds ({@link #failure()} says why). */
    FAILED,
    /** Stopped by {@link #close()}. */
    CLOSED
  }

  private final SequencedAppends sequenced;
  private final KafkaAuditConfig config;
  private final TopicPartition partition;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicLong integrated = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong fencings = new AtomicLong();
  private volatile State state = State.RUNNING;
  private volatile String failure;
  private volatile long nextOffset = -1;
  private volatile long lag = -1;
  private volatile Duration lastLatency;

  private ShardSequencer(AuditLog shard, int partition, KafkaAuditConfig config) {
    this.sequenced = SequencedAppends.of(shard);
    this.config = config;
    this.partition = new TopicPartition(config.topic, partition);
    this.consumer =
        new KafkaConsumer<>(
            config.clientProperties(
                Map.of(
                    "enable.auto.commit",
                    false,
                    "auto.offset.reset",
                    "none",
                    "isolation.level",
                    "read_committed",
                    "max.poll.records",
                    config.maxBatch,
                    "key.deserializer",
                    ByteArrayDeserializer.class.getName(),
                    "value.deserializer",
                    ByteArrayDeserializer.class.getName())));
    this.thread = new Thread(this::run, "privacykit-audit-sequencer-" + partition);
    this.thread.setDaemon(true);
  }

  /**
   * Starts integrating {@code partition} of the configured topic into {@code shard}. Run one per
   * shard; a second one is harmless (it is fenced) but wasted.
   *
   * @throws IllegalArgumentException if bootstrap servers or topic are missing, or the partition is
   *     negative
   */
  public static ShardSequencer start(
      AuditLog shard, int partition, Consumer<KafkaAuditConfig> configure) {
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be at least 0, was " + partition);
    }
    KafkaAuditConfig config = new KafkaAuditConfig();
    configure.accept(config);
    config.check();
    ShardSequencer sequencer = new ShardSequencer(shard, partition, config);
    sequencer.thread.start();
    return sequencer;
  }

  private void run() {
    long expected = -1;
    try {
      while (closing.getCount() > 0) {
        try {
          if (expected < 0) {
            expected = sequenced.nextOffset();
            consumer.assign(List.of(partition));
            consumer.seek(partition, expected);
            nextOffset = expected;
          }
          List<ConsumerRecord<byte[], byte[]>> records =
              consumer.poll(config.pollTimeout).records(partition);
          OptionalLong behind = consumer.currentLag(partition);
          lag = behind.isPresent() ? behind.getAsLong() : -1;
          if (!records.isEmpty()) {
            expected = integrate(records, expected);
          }
        } catch (WakeupException e) {
          // close() woke the poll: the loop ends
        } catch (AuditLogException.SequencerFenced e) {
          fencings.incrementAndGet();
          log.info("audit sequencer {}: fenced at offset {}", partition, e.expectedOffset());
          if (config.onFenced == KafkaAuditConfig.OnFenced.STOP) {
            state = State.FENCED;
            return;
          }
          expected = -1;
        } catch (OffsetOutOfRangeException e) {
          failure =
              "the shard's stored offset "
                  + expected
                  + " is outside what Kafka holds for "
                  + partition
                  + ": records deleted before they were integrated, or the topic was recreated";
          log.error("audit sequencer {}: {}", partition, failure);
          state = State.FAILED;
          return;
        } catch (RuntimeException e) {
          failures.incrementAndGet();
          log.warn("audit sequencer {}: batch failed, retrying: {}", partition, e.toString());
          expected = -1;
          pause();
        }
      }
      state = State.CLOSED;
    } finally {
      consumer.close();
    }
  }

  /** Integrates one polled batch from {@code expected} on; returns the next offset. */
  private long integrate(List<ConsumerRecord<byte[], byte[]>> records, long expected) {
    List<AuditEntry> entries = new ArrayList<>(records.size());
    List<Long> offsets = new ArrayList<>(records.size());
    long next = expected;
    long newest = 0;
    int unreadable = 0;
    for (ConsumerRecord<byte[], byte[]> record : records) {
      if (record.offset() < expected) {
        continue;
      }
      try {
        entries.add(EntryJson.decode(record.value()));
        offsets.add(record.offset());
        newest = Math.max(newest, record.timestamp());
      } catch (IllegalArgumentException e) {
        unreadable++;
        log.warn(
            "audit sequencer {}: record at offset {} skipped: {}",
            partition,
            record.offset(),
            e.getMessage());
      }
      next = record.offset() + 1;
    }
    if (next == expected) {
      return expected;
    }
    sequenced.integrate(entries, offsets, expected, next);
    // the latency and offset first: a reader that sees the count sees them too
    if (newest > 0) {
      lastLatency = Duration.ofMillis(Math.max(0, System.currentTimeMillis() - newest));
    }
    nextOffset = next;
    skipped.addAndGet(unreadable);
    integrated.addAndGet(entries.size());
    return next;
  }

  private void pause() {
    try {
      closing.await(config.retryBackoff.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closing.countDown();
    }
  }

  /** The partition this sequencer integrates. */
  public int partition() {
    return partition.partition();
  }

  /** What the sequencer is doing. */
  public State state() {
    return state;
  }

  /** Why it failed ({@link State#FAILED}), or null. */
  public String failure() {
    return failure;
  }

  /** The next offset it will integrate, as it last knew (-1 before it read the shard). */
  public long nextOffset() {
    return nextOffset;
  }

  /** Records in the partition past what it has read, after its last poll (-1 when unknown). */
  public long lag() {
    return lag;
  }

  /** Entries this sequencer integrated. */
  public long integratedCount() {
    return integrated.get();
  }

  /** Records it skipped because they were not readable entries. */
  public long skippedCount() {
    return skipped.get();
  }

  /** Batches that failed and were read again from the stored offset. */
  public long failureCount() {
    return failures.get();
  }

  /** How often it was fenced by another sequencer. */
  public long fencedCount() {
    return fencings.get();
  }

  /**
   * Sequenced to integrated, for the newest entry of the last batch: from its Kafka timestamp to
   * the commit of its batch. Null before the first batch.
   */
  public Duration lastLatency() {
    return lastLatency;
  }

  /** Stops after the batch in hand (which commits or not, whole) and closes the consumer. */
  @Override
  public void close() {
    closing.countDown();
    consumer.wakeup();
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
