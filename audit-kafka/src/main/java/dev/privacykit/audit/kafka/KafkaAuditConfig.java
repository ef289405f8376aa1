package dev.privacykit.audit.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Setup of {@link KafkaAuditIngest} and {@link ShardSequencer}: where the topic is, how tenants map
 * to partitions (shards), and how a sequencer batches and reacts to being fenced. Each setter
 * checks its value at once. Not thread-safe: fill it in the {@code Consumer} the entry points take.
 */
public final class KafkaAuditConfig {
  /** What a sequencer does when another one moved the shard's offset on. */
  public enum OnFenced {
    /** Stop: another sequencer serves the shard (the default; the safe reading of a race). */
    STOP,
    /** Read the stored offset again and go on from it (a standby that keeps polling). */
    RESUME
  }

  /** Client settings that the guarantees depend on, which {@link #property} refuses. */
  private static final Set<String> FIXED =
      Set.of(
          "acks",
          "enable.idempotence",
          "enable.auto.commit",
          "group.id",
          "auto.offset.reset",
          "key.serializer",
          "value.serializer",
          "key.deserializer",
          "value.deserializer",
          "partitioner.class");

  String bootstrapServers;
  String topic;
  final Map<String, Object> properties = new LinkedHashMap<>();
  ToIntFunction<String> shardOf;
  int maxBatch = 500;
  Duration pollTimeout = Duration.ofMillis(200);
  Duration retryBackoff = Duration.ofMillis(500);
  OnFenced onFenced = OnFenced.STOP;

  KafkaAuditConfig() {}

  /** The Kafka bootstrap servers ({@code host:port,...}). Required. */
  public KafkaAuditConfig bootstrapServers(String servers) {
    if (servers == null || servers.isBlank()) {
      throw new IllegalArgumentException("bootstrap servers must be given");
    }
    this.bootstrapServers = servers;
    return this;
  }

  /** The topic: one partition per shard. Required. */
  public KafkaAuditConfig topic(String topic) {
    if (topic == null || !topic.matches("[A-Za-z0-9._-]{1,249}")) {
      throw new IllegalArgumentException("topic must be 1 to 249 of A-Z a-z 0-9 . _ -");
    }
    this.topic = topic;
    return this;
  }

  /**
   * Another Kafka client setting, such as {@code security.protocol} or {@code sasl.jaas.config}.
   * Settings the guarantees rest on (acks, idempotence, offsets, serializers, group, partitioner)
   * are fixed and refused.
   */
  public KafkaAuditConfig property(String name, Object value) {
    if (FIXED.contains(name)) {
      throw new IllegalArgumentException(name + " is fixed by PrivacyKit and cannot be set");
    }
    properties.put(name, Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * The partition (shard) of a tenant's entries, from 0 to the topic's partition count less one. By
   * default a hash of the tenant modulo the partition count. Producers and status readers must use
   * the same mapping.
   */
  public KafkaAuditConfig shardOf(ToIntFunction<String> shardOfTenant) {
    this.shardOf = Objects.requireNonNull(shardOfTenant, "shardOfTenant");
    return this;
  }

  /** A sequencer's largest batch: records per poll and per transaction (1 to 10000; 500). */
  public KafkaAuditConfig maxBatch(int records) {
    if (records < 1 || records > 10_000) {
      throw new IllegalArgumentException("maxBatch must be 1 to 10000, was " + records);
    }
    this.maxBatch = records;
    return this;
  }

  /** How long a sequencer's poll waits for records (1 ms to 10 s; 200 ms). */
  public KafkaAuditConfig pollTimeout(Duration timeout) {
    this.pollTimeout = within("pollTimeout", timeout, Duration.ofSeconds(10));
    return this;
  }

  /** How long a sequencer waits after a failed write before it tries again (1 ms to 1 min). */
  public KafkaAuditConfig retryBackoff(Duration backoff) {
    this.retryBackoff = within("retryBackoff", backoff, Duration.ofMinutes(1));
    return this;
  }

  /** What a sequencer does when fenced ({@link OnFenced#STOP} by default). */
  public KafkaAuditConfig onFenced(OnFenced policy) {
    this.onFenced = Objects.requireNonNull(policy, "policy");
    return this;
  }

  void check() {
    if (bootstrapServers == null || topic == null) {
      throw new IllegalArgumentException(
          "Kafka audit ingestion needs bootstrap servers and a topic");
    }
  }

  /** The client settings: the given ones, then the fixed ones. */
  Map<String, Object> clientProperties(Map<String, Object> fixed) {
    Map<String, Object> all = new LinkedHashMap<>(properties);
    all.put("bootstrap.servers", bootstrapServers);
    all.putAll(fixed);
    return all;
  }

  private static Duration within(String name, Duration value, Duration max) {
    if (value == null || value.toMillis() < 1 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + " must be 1 ms to " + max + ", was " + value);
    }
    return value;
  }
}
