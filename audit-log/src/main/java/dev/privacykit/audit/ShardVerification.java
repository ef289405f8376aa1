package dev.privacykit.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The result of {@link AuditShards#verify()}: each shard's and the top-level log's own
 * verification, and what the cross-checks found.
 *
 * @param shards each shard's verification, by id
 * @param top the top-level log's verification
 * @param problems each top-level entry that records a checkpoint its shard never signed, and each
 *     closed shard with an entry recorded at or after its close; empty when all hold
 */
public record ShardVerification(
    Map<Integer, Verification> shards, Verification top, List<String> problems) {

  /** Copies the collections. */
  public ShardVerification {
    shards = Map.copyOf(shards);
    problems = List.copyOf(problems);
  }

  /** Whether every shard, the top-level log and every cross-check hold. */
  public boolean ok() {
    return top.ok() && problems.isEmpty() && shards.values().stream().allMatch(Verification::ok);
  }

  /**
   * The whole result as one {@link Verification}: entries and checkpoints summed over every tree,
   * and the first failure of the shards (in id order), the top-level log, then the cross-checks. A
   * shard's failure keeps its seq and names the shard in its {@code calculated} text.
   */
  public Verification combined() {
    long entries = top.entries();
    long checkpoints = top.checkpoints();
    Verification.Failure first = null;
    for (Map.Entry<Integer, Verification> shard : shards.entrySet()) {
      Verification v = shard.getValue();
      entries += v.entries();
      checkpoints += v.checkpoints();
      if (first == null && v.failure().isPresent()) {
        Verification.Failure f = v.failure().get();
        first =
            new Verification.Failure(
                f.seq(),
                f.kind(),
                "(shard " + shard.getKey() + ") " + f.calculated(),
                f.stored(),
                f.lastGoodCheckpoint());
      }
    }
    if (first == null && top.failure().isPresent()) {
      Verification.Failure f = top.failure().get();
      first =
          new Verification.Failure(
              f.seq(), f.kind(), "(top-level log) " + f.calculated(), f.stored(), -1);
    }
    if (first == null && !problems.isEmpty()) {
      first =
          new Verification.Failure(
              -1,
              Verification.Kind.INCONSISTENT,
              problems.get(0),
              "a checkpoint its shard signed",
              -1);
    }
    return new Verification(entries, checkpoints, Optional.ofNullable(first));
  }

  static ShardVerification run(AuditShards log, boolean incremental) {
    Map<Integer, Verification> results = new TreeMap<>();
    for (int id : log.ids()) {
      AuditLog shard = log.shard(id);
      results.put(id, incremental ? shard.verifyIncremental() : shard.verify());
    }
    Verification top = incremental ? log.top().verifyIncremental() : log.top().verify();
    List<String> problems = new ArrayList<>();
    checkRecorded(log, problems);
    for (ShardPlan.Shard shard : log.plan().shards()) {
      if (shard.closes() == null) {
        continue;
      }
      AuditLog tree = log.shard(shard.id());
      long size = tree.size();
      Optional<AuditRecord> last = size == 0 ? Optional.empty() : tree.read(size - 1);
      if (last.isPresent() && !last.get().recordedAt().isBefore(shard.closes())) {
        problems.add(
            "closed shard "
                + shard.id()
                + " has entry "
                + (size - 1)
                + " recorded at or after its close");
      }
    }
    return new ShardVerification(results, top, problems);
  }

  /** Every shard checkpoint the top-level log records must be one its shard signed. */
  private static void checkRecorded(AuditShards log, List<String> problems) {
    AuditLog top = log.top();
    long head = top.size();
    long after = -1;
    while (true) {
      List<AuditRecord> page =
          top.query(
              AuditQuery.tenant(ShardCheckpointEntry.TENANT)
                  .action(Action.SHARD_CHECKPOINT)
                  .after(after)
                  .before(head)
                  .limit(1_000));
      if (page.isEmpty()) {
        return;
      }
      for (AuditRecord record : page) {
        after = record.seq();
        String problem = problemWith(log, record);
        if (problem != null) {
          problems.add("top-level entry " + record.seq() + ": " + problem);
        }
      }
    }
  }

  private static String problemWith(AuditShards log, AuditRecord record) {
    ShardCheckpointEntry.Recorded recorded;
    try {
      recorded = ShardCheckpointEntry.parse(record);
    } catch (AuditLogException e) {
      return "not a well-formed shard checkpoint";
    }
    if (!log.ids().contains(recorded.shard())) {
      return "records shard " + recorded.shard() + ", which this log does not have";
    }
    if (!recorded.origin().equals(AuditShards.shardOrigin(log.origin(), recorded.shard()))) {
      return "names shard " + recorded.shard() + " " + recorded.origin();
    }
    Optional<Checkpoint> signed;
    try {
      signed = log.shard(recorded.shard()).checkpointAt(recorded.size());
    } catch (AuditLogException e) {
      return "shard " + recorded.shard() + "'s checkpoint of " + recorded.size() + " is not signed";
    }
    if (signed.isEmpty() || !Arrays.equals(signed.get().root(), recorded.root())) {
      return "records shard "
          + recorded.shard()
          + " at "
          + recorded.size()
          + " entries with a root the shard never signed";
    }
    return null;
  }
}
