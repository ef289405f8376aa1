package dev.privacykit.audit.kafka;

import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditLogException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Appends audit entries through Kafka: {@link #append} completes once the entry is durably in the
 * topic, at the partition of its tenant's shard; the shard's {@link ShardSequencer} later
 * integrates it into the shard's log. For event rates past what one database commits.
 *
 * <pre>{@code
 * try (KafkaAuditIngest ingest = KafkaAuditIngest.open(c -> c
 *     .bootstrapServers("kafka:9092").topic("privacykit-audit"))) {
 *   Sequenced at = ingest.append(entry).join(); // in Kafka; IngestStatus tells when in the tree
 * }
 * }</pre>
 *
 * <h2>Security</h2>
 *
 * The producer is idempotent with {@code acks=all}: an acknowledged entry is on every in-sync
 * replica (give the topic a replication factor of 3 and {@code min.insync.replicas=2}), and the
 * producer's own retries never write a record twice. The record's key is the tenant. Entries with a
 * body are refused: bodies are personal details, which the log encrypts under the subject's key so
 * that they can be shredded, while Kafka would hold them in clear until its retention ends.
 *
 * <p>Thread-safe.
 */
public final class KafkaAuditIngest implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final ToIntFunction<String> shardOf;
  private final int partitions;

  private KafkaAuditIngest(KafkaAuditConfig config) {
    this.topic = config.topic;
    this.producer =
        new KafkaProducer<>(
            config.clientProperties(
                Map.of(
                    "acks",
                    "all",
                    "enable.idempotence",
                    true,
                    "key.serializer",
                    StringSerializer.class.getName(),
                    "value.serializer",
                    ByteArraySerializer.class.getName())));
    try {
      this.partitions = producer.partitionsFor(topic).size();
    } catch (RuntimeException e) {
      producer.close();
      throw new AuditLogException(
          "the Kafka topic " + topic + " could not be read: " + e.getClass().getSimpleName(), e);
    }
    this.shardOf = config.shardOf != null ? config.shardOf : this::hashOf;
  }

  /**
   * Opens a producer on the configured topic and reads its partition count.
   *
   * @throws IllegalArgumentException if bootstrap servers or topic are missing
   * @throws AuditLogException if the topic cannot be read
   */
  public static KafkaAuditIngest open(Consumer<KafkaAuditConfig> configure) {
    KafkaAuditConfig config = new KafkaAuditConfig();
    configure.accept(config);
    config.check();
    return new KafkaAuditIngest(config);
  }

  /** The default shard of a tenant: Kafka's murmur2 hash of its UTF-8 bytes, modulo the count. */
  static int defaultShard(String tenant, int partitions) {
    return Utils.toPositive(Utils.murmur2(tenant.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  private int hashOf(String tenant) {
    return defaultShard(tenant, partitions);
  }

  /** The partition (shard) that takes {@code tenant}'s entries. */
  public int shardOf(String tenant) {
    int partition = shardOf.applyAsInt(tenant);
    if (partition < 0 || partition >= partitions) {
      throw new IllegalStateException(
          "the shard mapping gave partition "
              + partition
              + ", but the topic has partitions 0 to "
              + (partitions - 1));
    }
    return partition;
  }

  /**
   * Sends the entry to its shard's partition. The future completes with its place once every
   * in-sync replica has it, or fails with the producer's error (nothing then says it was written:
   * appending again may duplicate it).
   *
   * @throws IllegalArgumentException if the entry has a body
   */
  public CompletableFuture<Sequenced> append(AuditEntry entry) {
    if (entry.body() != null) {
      throw new IllegalArgumentException(
          "entries sent through Kafka cannot carry a body: Kafka would keep it unencrypted");
    }
    CompletableFuture<Sequenced> done = new CompletableFuture<>();
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            topic, shardOf(entry.tenant()), entry.tenant(), EntryJson.encode(entry));
    producer.send(
        record,
        (metadata, error) -> {
          if (error != null) {
            done.completeExceptionally(
                new AuditLogException(
                    "the audit entry was not acknowledged by Kafka: "
                        + error.getClass().getSimpleName(),
                    error));
          } else {
            done.complete(new Sequenced(topic, metadata.partition(), metadata.offset()));
          }
        });
    return done;
  }

  /** Sends what is buffered now, without waiting for the linger time. */
  public void flush() {
    producer.flush();
  }

  /** Sends what is buffered and closes the producer. */
  @Override
  public void close() {
    producer.close();
  }
}
