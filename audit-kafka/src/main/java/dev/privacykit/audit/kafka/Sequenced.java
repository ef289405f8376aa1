package dev.privacykit.audit.kafka;

/**
 * Where an entry was sequenced: durably in Kafka (acknowledged by every in-sync replica), at this
 * offset of the partition of its shard. Not yet in the shard's tree: ask {@link IngestStatus}.
 *
 * @param topic the topic
 * @param partition the partition, which is the shard
 * @param offset the offset in the partition
 */
public record Sequenced(String topic, int partition, long offset) {}
