package dev.privacykit.audit;

import dev.privacykit.audit.internal.Merkle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The shards of a sharded audit log ({@link AuditShards}) and where each tenant's entries go.
 * Immutable: each method returns a new plan.
 *
 * <ul>
 *   <li>A <b>shared</b> shard takes every tenant that has no dedicated shard: a tenant goes to one
 *       of the shared shards writable now, chosen by a hash of its name, so one tenant's appends
 *       stay in one tree while the plan stays the same.
 *   <li>A <b>dedicated</b> shard takes only the tenants named for it (a big tenant of its own).
 *   <li>A shard may be <b>time-based</b>: it takes entries from {@code opens} and until {@code
 *       closes}; after that it is closed, read-only like Certificate Transparency's temporal
 *       shards, and stays readable, provable and verifiable.
 * </ul>
 *
 * Shard 0 is always there: it is the log's original tables, so a database that held one tree
 * becomes shard 0 of a sharded log without rewriting an entry.
 */
public final class ShardPlan {
  /** The largest shard id (shard schemas are named with it). */
  public static final int MAX_SHARD = 999;

  /**
   * One shard.
   *
   * @param id 0 to {@value #MAX_SHARD}
   * @param tenants the tenants it is dedicated to, or empty for a shared shard
   * @param opens when it starts taking entries, or null for always
   * @param closes when it stops taking entries (then it is read-only), or null for never
   */
  public record Shard(int id, Set<String> tenants, Instant opens, Instant closes) {
    /** Checks the id and the window. */
    public Shard {
      if (id < 0 || id > MAX_SHARD) {
        throw new IllegalArgumentException("a shard id must be 0 to " + MAX_SHARD + ", was " + id);
      }
      tenants = Set.copyOf(tenants);
      if (opens != null && closes != null && !opens.isBefore(closes)) {
        throw new IllegalArgumentException("shard " + id + " must open before it closes");
      }
    }

    /** Whether it takes entries at {@code now}. */
    public boolean writableAt(Instant now) {
      return (opens == null || !now.isBefore(opens)) && (closes == null || now.isBefore(closes));
    }

    /** Whether it is dedicated to named tenants. */
    public boolean dedicated() {
      return !tenants.isEmpty();
    }
  }

  private final TreeMap<Integer, Shard> shards;

  private ShardPlan(TreeMap<Integer, Shard> shards) {
    this.shards = shards;
  }

  /** One shared shard, shard 0: the log as it was before shards. */
  public static ShardPlan single() {
    return hashed(1);
  }

  /**
   * Shared shards 0 to {@code count - 1}, tenants spread over them by hash.
   *
   * @throws IllegalArgumentException unless 1 &lt;= count &lt;= {@value #MAX_SHARD} + 1
   */
  public static ShardPlan hashed(int count) {
    if (count < 1 || count > MAX_SHARD + 1) {
      throw new IllegalArgumentException("a log has 1 to " + (MAX_SHARD + 1) + " shards");
    }
    TreeMap<Integer, Shard> shards = new TreeMap<>();
    for (int id = 0; id < count; id++) {
      shards.put(id, new Shard(id, Set.of(), null, null));
    }
    return new ShardPlan(shards);
  }

  /** This plan with {@code shard} added, or replacing the shard of its id. */
  public ShardPlan with(Shard shard) {
    TreeMap<Integer, Shard> next = new TreeMap<>(shards);
    next.put(shard.id(), shard);
    return new ShardPlan(next);
  }

  /** This plan with shard {@code id} dedicated to {@code tenants} (always writable). */
  public ShardPlan dedicated(int id, String... tenants) {
    if (tenants.length == 0) {
      throw new IllegalArgumentException("name the tenants shard " + id + " is dedicated to");
    }
    return with(new Shard(id, Set.of(tenants), null, null));
  }

  /** This plan with shard {@code id} (shared, or dedicated as it was) open from/until these. */
  public ShardPlan window(int id, Instant opens, Instant closes) {
    Shard was = shards.get(id);
    return with(new Shard(id, was == null ? Set.of() : was.tenants(), opens, closes));
  }

  /** The shards, by id. */
  public Collection<Shard> shards() {
    return List.copyOf(shards.values());
  }

  /** The shard of {@code id}, or null. */
  public Shard shard(int id) {
    return shards.get(id);
  }

  /**
   * The shard that takes {@code tenant}'s entries at {@code now}: one of its dedicated shards
   * writable then if it has dedicated shards, else one of the shared shards writable then, by hash.
   *
   * @throws AuditLogException when no shard takes the tenant's entries now (its dedicated shards
   *     are all closed or not yet open, or no shared shard is writable)
   */
  public int placement(String tenant, Instant now) {
    boolean hasDedicated = shards.values().stream().anyMatch(s -> s.tenants().contains(tenant));
    List<Integer> candidates = new ArrayList<>();
    for (Shard shard : shards.values()) {
      boolean fits = hasDedicated ? shard.tenants().contains(tenant) : !shard.dedicated();
      if (fits && shard.writableAt(now)) {
        candidates.add(shard.id());
      }
    }
    if (candidates.isEmpty()) {
      throw new AuditLogException(
          "no audit log shard takes entries for this tenant now: its shards are closed or not open");
    }
    return candidates.get(Math.floorMod(hash(tenant), candidates.size()));
  }

  /**
   * Every shard that may hold {@code tenant}'s entries, whatever the time: its dedicated shards and
   * every shared one (a tenant given a dedicated shard later still has its earlier entries on the
   * shared shards). Read all of them for a tenant's history: a window that closed or a plan that
   * changed leaves earlier entries where they were written.
   */
  public List<Integer> holding(String tenant) {
    List<Integer> ids = new ArrayList<>();
    for (Shard shard : shards.values()) {
      if (!shard.dedicated() || shard.tenants().contains(tenant)) {
        ids.add(shard.id());
      }
    }
    return ids;
  }

  private static long hash(String tenant) {
    return ByteBuffer.wrap(Merkle.sha256(tenant.getBytes(StandardCharsets.UTF_8))).getLong();
  }
}
