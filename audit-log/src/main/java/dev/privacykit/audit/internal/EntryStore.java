package dev.privacykit.audit.internal;

import dev.privacykit.storage.Dialect;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The SQL that reads entries, bodies and subtrees, summarises, and prunes bodies. Not API.
 * Thread-safe.
 */
public final class EntryStore {
  /** Filters of a query; null means "any". Times are [from, to). */
  public record Filter(
      String tenant,
      long afterSeq,
      long beforeSeq,
      int limit,
      String subject,
      String actor,
      String purpose,
      String action,
      Instant from,
      Instant to) {}

  /** A chunk of stored entries with their leaf hashes, bodies and the subtrees ending in it. */
  public record Chunk(
      List<EntryCodec.Fields> entries,
      List<byte[]> leaves,
      Map<Long, byte[]> bodies,
      Map<ProofBuilder.Node, byte[]> subtrees) {}

  private final Jdbi jdbi;
  private final Dialect dialect;

  /** The entries of the log that {@code store} holds. */
  public EntryStore(AuditStore store) {
    this.jdbi = store.jdbi();
    this.dialect = store.dialect();
  }

  /** Entries matching {@code filter}, in seq order. */
  public List<EntryCodec.Fields> query(Filter filter) {
    Map<String, Object> binds = new LinkedHashMap<>();
    StringBuilder sql =
        new StringBuilder("SELECT * FROM audit_entries WHERE tenant = :tenant AND seq > :after");
    binds.put("tenant", filter.tenant());
    binds.put("after", filter.afterSeq());
    condition(
        sql,
        binds,
        "seq < :before",
        "before",
        filter.beforeSeq() == Long.MAX_VALUE ? null : filter.beforeSeq());
    condition(sql, binds, "subject = :subject", "subject", filter.subject());
    condition(sql, binds, "actor = :actor", "actor", filter.actor());
    condition(sql, binds, "purpose = :purpose", "purpose", filter.purpose());
    condition(sql, binds, "action = :action", "action", filter.action());
    condition(sql, binds, "recorded_at >= :from", "from", utc(filter.from()));
    condition(sql, binds, "recorded_at < :to", "to", utc(filter.to()));
    sql.append(" ORDER BY seq LIMIT :limit");
    binds.put("limit", filter.limit());
    return jdbi.withHandle(
        h -> {
          Query q = h.createQuery(sql.toString());
          binds.forEach(q::bind);
          return q.map((rs, ctx) -> AuditStore.fields(rs)).list();
        });
  }

  /** The newest seq below {@code before} of {@code tenant}'s entries by {@code actor}, or -1. */
  public long latestSeq(String tenant, String actor, long before) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT max(seq) FROM audit_entries"
                        + " WHERE tenant = :tenant AND actor = :actor AND seq < :before")
                .bind("tenant", tenant)
                .bind("actor", actor)
                .bind("before", before)
                .mapTo(Long.class)
                .findOne()
                .orElse(-1L));
  }

  /** The entry {@code seq}, if stored. */
  public List<EntryCodec.Fields> entry(long seq) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM audit_entries WHERE seq = :seq")
                .bind("seq", seq)
                .map((rs, ctx) -> AuditStore.fields(rs))
                .list());
  }

  /** The stored (encrypted) bodies of these entries. */
  public Map<Long, byte[]> bodies(List<Long> seqs) {
    Map<Long, byte[]> bodies = new HashMap<>();
    if (seqs.isEmpty()) {
      return bodies;
    }
    jdbi.useHandle(
        h ->
            h.createQuery("SELECT seq, body FROM audit_bodies WHERE seq IN (<seqs>)")
                .bindList("seqs", seqs)
                .map((rs, ctx) -> bodies.put(rs.getLong(1), rs.getBytes(2)))
                .list());
    return bodies;
  }

  /** Up to {@code limit} entries from {@code from} below {@code head}, with what verifies them. */
  public Chunk chunk(long from, long head, int limit) {
    List<EntryCodec.Fields> entries = new ArrayList<>();
    List<byte[]> leaves = new ArrayList<>();
    Map<Long, byte[]> bodies = new HashMap<>();
    Map<ProofBuilder.Node, byte[]> subtrees = new HashMap<>();
    jdbi.useHandle(
        h -> {
          // A closed range of at most `limit` seqs (seq is gapless), not "from onwards LIMIT n":
          // with an upper bound and stale statistics PostgreSQL chose to sort every row up to the
          // head for each chunk, which made a full verification quadratic.
          h.createQuery("SELECT * FROM audit_entries WHERE seq >= :from AND seq < :to ORDER BY seq")
              .bind("from", from)
              .bind("to", Math.min(head, from + limit))
              .map(
                  (rs, ctx) -> {
                    entries.add(AuditStore.fields(rs));
                    leaves.add(rs.getBytes("leaf_hash"));
                    return 0;
                  })
              .list();
          if (entries.isEmpty()) {
            return;
          }
          long last = entries.get(entries.size() - 1).seq();
          h.createQuery("SELECT seq, body FROM audit_bodies WHERE seq BETWEEN :a AND :b")
              .bind("a", from)
              .bind("b", last)
              .map((rs, ctx) -> bodies.put(rs.getLong(1), rs.getBytes(2)))
              .list();
          h.createQuery(
                  "SELECT level, idx, hash FROM audit_subtrees WHERE end_leaf BETWEEN :a AND :b")
              .bind("a", from)
              .bind("b", last)
              .map(
                  (rs, ctx) ->
                      subtrees.put(
                          new ProofBuilder.Node(rs.getInt(1), rs.getLong(2)), rs.getBytes(3)))
              .list();
        });
    return new Chunk(entries, leaves, bodies, subtrees);
  }

  /**
   * The fields of entries {@code from} to {@code to} (exclusive) that name no one, as one JSON
   * object each: seq, recorded_at, action, outcome and leaf hash (a salted hash: it confirms no
   * guess). What static entry bundles publish.
   */
  public List<String> publicFields(long from, long to) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT seq, recorded_at, action, outcome, leaf_hash FROM audit_entries"
                        + " WHERE seq >= :from AND seq < :to ORDER BY seq")
                .bind("from", from)
                .bind("to", to)
                .map(
                    (rs, ctx) ->
                        "{\"seq\":"
                            + rs.getLong(1)
                            + ",\"recorded_at\":\""
                            + AuditStore.instant(rs, "recorded_at")
                            + "\",\"action\":\""
                            + rs.getString(3).toLowerCase(java.util.Locale.ROOT)
                            + "\",\"outcome\":\""
                            + rs.getString(4).toLowerCase(java.util.Locale.ROOT)
                            + "\",\"leaf_hash\":\""
                            + java.util.HexFormat.of().formatHex(rs.getBytes(5))
                            + "\"}")
                .list());
  }

  /** The leaf hashes of entries {@code from} (inclusive) to {@code to} (exclusive), in order. */
  public List<byte[]> leafHashes(long from, long to) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT leaf_hash FROM audit_entries WHERE seq >= :from AND seq < :to ORDER BY seq")
                .bind("from", from)
                .bind("to", to)
                .map((rs, ctx) -> rs.getBytes(1))
                .list());
  }

  /** How many entries are stored at or past {@code seq}. */
  public long countFrom(long seq) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT COUNT(*) FROM audit_entries WHERE seq >= :head")
                .bind("head", seq)
                .mapTo(Long.class)
                .one());
  }

  /** The highest prune boundary recorded (0 when nothing was pruned). */
  public long pruneBoundary() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT COALESCE(MAX(before_seq), 0) FROM audit_prunes")
                .mapTo(Long.class)
                .one());
  }

  /**
   * A tenant's entry counts per (purpose, categories, recipient) in [from, to) below {@code size}.
   */
  public List<Map<String, Object>> summary(String tenant, Instant from, Instant to, long size) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT purpose, categories, recipient, count(*) AS n FROM audit_entries WHERE tenant = :t"
                        + " AND recorded_at >= :from AND recorded_at < :to AND seq < :size"
                        + " GROUP BY purpose, categories, recipient")
                .bind("t", tenant)
                .bind("from", utc(from))
                .bind("to", utc(to))
                .bind("size", size)
                .mapToMap()
                .list());
  }

  /** The first seq recorded at or after {@code before} (0 for an empty log). */
  public long pruneBoundaryFor(Instant before) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT COALESCE(MAX(seq) + 1, 0) FROM audit_entries WHERE recorded_at < :before")
                .bind("before", utc(before))
                .mapTo(Long.class)
                .one());
  }

  /** The request ids of PRUNE entries below {@code head}: the boundaries the log announced. */
  public List<String> pruneAnnouncements(long head, long from) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT request_id FROM audit_entries WHERE action = 'PRUNE' AND seq >= :from"
                        + " AND seq < :head")
                .bind("from", from)
                .bind("head", head)
                .mapTo(String.class)
                .list());
  }

  /** The boundaries recorded in the prune table. */
  public List<Long> pruneRows() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT before_seq FROM audit_prunes").mapTo(Long.class).list());
  }

  /**
   * Deletes the bodies of entries below {@code boundary} and records the boundary, in one
   * transaction, only when a PRUNE entry in the log announces that boundary. On PostgreSQL this is
   * the {@code audit_prune_bodies} function, which runs as the schema owner, so the application
   * role needs no DELETE on {@code audit_bodies}. Returns how many bodies were deleted.
   *
   * @throws IllegalStateException when no PRUNE entry announces the boundary
   */
  public long pruneBodies(long boundary) {
    if (dialect == Dialect.POSTGRESQL) {
      return jdbi.inTransaction(
          h ->
              h.createQuery("SELECT audit_prune_bodies(:b)")
                  .bind("b", boundary)
                  .mapTo(Long.class)
                  .one());
    }
    return jdbi.inTransaction(
        h -> {
          boolean announced =
              h.createQuery(
                          "SELECT COUNT(*) FROM audit_entries WHERE action = 'PRUNE'"
                              + " AND request_id = :id AND seq >= :b")
                      .bind("id", "prune:" + boundary)
                      .bind("b", boundary)
                      .mapTo(Long.class)
                      .one()
                  > 0;
          if (!announced) {
            throw new IllegalStateException(
                "no PRUNE entry in the log announces the boundary " + boundary);
          }
          h.execute("SET @AUDIT_PRUNE = 1");
          int removed;
          try {
            removed =
                h.createUpdate("DELETE FROM audit_bodies WHERE seq < :b")
                    .bind("b", boundary)
                    .execute();
          } finally {
            h.execute("SET @AUDIT_PRUNE = 0");
          }
          h.createUpdate(
                  "INSERT INTO audit_prunes (before_seq, pruned_at) SELECT :b, :at WHERE NOT EXISTS"
                      + " (SELECT 1 FROM audit_prunes WHERE before_seq = :b)")
              .bind("b", boundary)
              .bind("at", Instant.now().atOffset(ZoneOffset.UTC))
              .execute();
          return (long) removed;
        });
  }

  private static void condition(
      StringBuilder sql, Map<String, Object> binds, String clause, String name, Object value) {
    if (value != null) {
      sql.append(" AND ").append(clause);
      binds.put(name, value);
    }
  }

  private static Object utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
