package dev.privacykit.audit;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records shard checkpoints in the top-level log: a daemon thread that, every interval, appends
 * each shard's newest signed checkpoint if it is newer than the last one recorded. The idempotency
 * key is the shard and size, so processes sharing the database record each checkpoint once.
 */
final class ShardRecorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShardRecorder.class);

  private final Map<Integer, AuditLog> shards;
  private final AuditLog top;
  private final Duration interval;
  private final Map<Integer, Long> recorded = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean closing;

  ShardRecorder(Map<Integer, AuditLog> shards, AuditLog top, Duration interval) {
    this.shards = shards;
    this.top = top;
    this.interval = interval;
    this.thread = new Thread(this::run, "privacykit-audit-shard-recorder");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Appends the top-level entry recording {@code checkpoint} of shard {@code shard} (or finds the
   * one recorded already); completes with its seq in the top-level log.
   */
  CompletableFuture<Long> record(int shard, Checkpoint checkpoint) {
    return top.append(
            ShardCheckpointEntry.entry(
                shard, checkpoint.origin(), checkpoint.size(), checkpoint.root()),
            ShardCheckpointEntry.key(shard, checkpoint.size()))
        .thenApply(
            seq -> {
              recorded.merge(shard, checkpoint.size(), Math::max);
              return seq;
            });
  }

  private void run() {
    while (!closing) {
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      shards.forEach(
          (id, shard) -> {
            try {
              shard
                  .latestCheckpoint()
                  .filter(c -> c.size() > recorded.getOrDefault(id, 0L))
                  .ifPresent(c -> record(id, c).join());
            } catch (RuntimeException e) {
              log.warn(
                  "audit shard recorder: shard {} not recorded: {}",
                  id,
                  e.getClass().getSimpleName());
            }
          });
    }
  }

  @Override
  public void close() {
    closing = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
