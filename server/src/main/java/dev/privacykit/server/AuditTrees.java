package dev.privacykit.server;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditLogConfig;
import dev.privacykit.audit.AuditRouter;
import dev.privacykit.audit.AuditShards;
import dev.privacykit.audit.ShardPlan;
import dev.privacykit.audit.Verification;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The service's audit log: one tree, or ({@code audit.shards} above 1) shards placed by a hash of
 * the tenant with a top-level log that records each shard's checkpoints. A tenant's entries,
 * queries, reports and proofs all go to {@link #forTenant}; what spans the log (verification,
 * retention, metrics, health) goes to {@link #all}; witnesses cosign {@link #anchor}.
 *
 * <p>The shard count is fixed at the first start that sets it (stored with the installation): a
 * different count would move tenants to other shards, away from their earlier entries, so it is
 * refused, as is sharding a single-tree log that already holds entries.
 */
public final class AuditTrees implements AuditRouter, AutoCloseable {
  /**
   * The most shards the service opens: each holds up to 3 connections per process (2 more on a read
   * replica), and PostgreSQL allows 100 by default.
   */
  public static final int MAX_SHARDS = 16;

  private final AuditLog single;
  private final AuditShards shards;

  private AuditTrees(AuditLog single, AuditShards shards) {
    this.single = single;
    this.shards = shards;
  }

  /**
   * Opens the log of {@code shardCount} shards in {@code database}, each configured by {@code
   * configure}.
   *
   * @throws IllegalArgumentException naming {@code audit.shards} when the count is out of range,
   *     differs from the one this database was started with, or would shard a log holding entries
   */
  static AuditTrees open(Database database, int shardCount, Consumer<AuditLogConfig> configure) {
    if (shardCount < 1 || shardCount > MAX_SHARDS) {
      throw new IllegalArgumentException(
          Setting.AUDIT_SHARDS.label() + " must be 1 to " + MAX_SHARDS + ", was " + shardCount);
    }
    String plan = "hashed:" + shardCount;
    String pinned = pinnedPlan(database);
    if (pinned != null && !pinned.equals(plan)) {
      throw new IllegalArgumentException(
          Setting.AUDIT_SHARDS.label()
              + " is "
              + shardCount
              + ", but this database's audit log was started with "
              + pinned.substring(pinned.indexOf(':') + 1)
              + ": a different count would place tenants on other shards, away from their"
              + " earlier entries; start with the same count");
    }
    AuditTrees trees =
        shardCount == 1
            ? new AuditTrees(AuditLog.open(database, configure), null)
            : new AuditTrees(
                null, AuditShards.open(database, ShardPlan.hashed(shardCount), configure));
    if (pinned == null) {
      if (shardCount > 1 && trees.shards.shard(0).size() > 0) {
        trees.close();
        throw new IllegalArgumentException(
            Setting.AUDIT_SHARDS.label()
                + " is "
                + shardCount
                + ", but this database's audit log already holds entries in one tree: sharding"
                + " it would move tenants away from them; keep 1");
      }
      pin(database, plan);
    }
    return trees;
  }

  /** The shard plan stored with the installation, or null before one is. */
  static String pinnedPlan(Database database) {
    return Jdbis.of(database)
        .withHandle(
            h ->
                h.createQuery("SELECT audit_shard_plan FROM installation")
                    .mapTo(String.class)
                    .findFirst()
                    .orElse(null));
  }

  private static void pin(Database database, String plan) {
    Jdbis.of(database)
        .useHandle(
            h ->
                h.createUpdate(
                        "UPDATE installation SET audit_shard_plan = :p"
                            + " WHERE audit_shard_plan IS NULL")
                    .bind("p", plan)
                    .execute());
    String stored = pinnedPlan(database);
    if (!plan.equals(stored)) { // another process pinned a different plan first
      throw new IllegalArgumentException(
          Setting.AUDIT_SHARDS.label() + " differs from the count another process started with");
    }
  }

  /** The log that holds {@code tenant}'s entries. */
  @Override
  public AuditLog forTenant(String tenant) {
    return shards == null ? single : shards.shardFor(tenant);
  }

  /** The id of the shard that holds {@code tenant}'s entries (0 with one tree). */
  public int shardOf(String tenant) {
    return shards == null ? 0 : shards.shardIdFor(tenant);
  }

  /** The single tree, or shard 0: the log's original tables. */
  public AuditLog first() {
    return shards == null ? single : shards.shard(0);
  }

  /** The shards, when there are several. */
  public Optional<AuditShards> shards() {
    return Optional.ofNullable(shards);
  }

  /**
   * The log whose checkpoints pin everything and that witnesses cosign: the top-level log of a
   * sharded log, else the one tree.
   */
  public AuditLog anchor() {
    return shards == null ? single : shards.top();
  }

  /**
   * Signs a checkpoint of the log now: of the one tree; or, sharded, of the top-level log after it
   * records every shard's current tree.
   */
  public dev.privacykit.audit.Checkpoint checkpointNow() {
    return shards == null ? single.checkpoint() : shards.recordNow();
  }

  /** Every tree: the shards in id order, then the top-level log. */
  public List<AuditLog> all() {
    if (shards == null) {
      return List.of(single);
    }
    List<AuditLog> all = new ArrayList<>();
    shards.ids().forEach(id -> all.add(shards.shard(id)));
    all.add(shards.top());
    return all;
  }

  /** Verifies every tree (and, when sharded, the cross-checks) as one result. */
  public Verification verify(boolean incremental) {
    if (shards == null) {
      return incremental ? single.verifyIncremental() : single.verify();
    }
    return (incremental ? shards.verifyIncremental() : shards.verify()).combined();
  }

  /**
   * The last verification run of the whole log: with shards, a failed run of any tree first, else
   * the oldest of their last runs; empty while any tree has none.
   */
  public Optional<dev.privacykit.audit.VerificationRun> lastVerification() {
    dev.privacykit.audit.VerificationRun worst = null;
    for (AuditLog tree : all()) {
      Optional<dev.privacykit.audit.VerificationRun> run = tree.lastVerification();
      if (run.isEmpty()) {
        return Optional.empty();
      }
      if (worst == null
          || (worst.ok() && !run.get().ok())
          || (worst.ok() == run.get().ok()
              && run.get().verifiedAt().isBefore(worst.verifiedAt()))) {
        worst = run.get();
      }
    }
    return Optional.ofNullable(worst);
  }

  /**
   * Audit listings and reports read from the read replica, and from the primary while one was
   * configured, over every tree: {@code [replica, primary]}.
   */
  public long[] replicaReads() {
    long[] sum = new long[2];
    for (AuditLog tree : all()) {
      long[] each = tree.replicaReads();
      sum[0] += each[0];
      sum[1] += each[1];
    }
    return sum;
  }

  /** The largest batch any writer committed last. */
  public int lastBatchSize() {
    return all().stream().mapToInt(AuditLog::lastBatchSize).max().orElse(0);
  }

  /** Prunes every shard's entries recorded before {@code before}; returns how many were pruned. */
  public long prune(Instant before, String actor) {
    if (shards == null) {
      return single.prune(before, actor);
    }
    long pruned = 0;
    for (int id : shards.ids()) {
      pruned += shards.shard(id).prune(before, actor);
    }
    return pruned;
  }

  /** Entries in every shard (the top-level log's own entries not counted). */
  public long size() {
    return shards == null ? single.size() : sum(AuditLog::size);
  }

  /** Entries waiting in every writer's queue. */
  public long queueDepth() {
    return shards == null ? single.queueDepth() : sum(AuditLog::queueDepth);
  }

  /** Room in every writer's queue. */
  public long queueCapacity() {
    return shards == null ? single.queueCapacity() : sum(AuditLog::queueCapacity);
  }

  /** Whether every tree takes entries now. */
  public boolean isAvailable() {
    return all().stream().allMatch(AuditLog::isAvailable);
  }

  private long sum(java.util.function.ToLongFunction<AuditLog> each) {
    return shards.ids().stream().mapToLong(id -> each.applyAsLong(shards.shard(id))).sum();
  }

  /** Flushes and closes every tree (sharded: records the final checkpoints in the top level). */
  @Override
  public void close() {
    if (shards == null) {
      single.close();
    } else {
      shards.close();
    }
  }
}
