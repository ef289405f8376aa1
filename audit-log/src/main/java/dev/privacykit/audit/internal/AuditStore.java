package dev.privacykit.audit.internal;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.spi.Jdbis;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The audit tables: batch writes under the state lock, and reads for proofs. Not API. */
public final class AuditStore {
  /** A row about to be inserted. */
  public record NewRow(EntryCodec.Fields fields, byte[] leafHash, byte[] body) {}

  /** A completed subtree about to be inserted. */
  public record NewNode(int level, long index, long endLeaf, byte[] hash) {}

  /** The tree head. */
  public record State(long size, byte[] root) {}

  private final Jdbi jdbi;
  private final Dialect dialect;

  /**
   * Stored subtrees of level 8 and above, which every proof passes through and which never change
   * once written (any process writes the same hash for a node): kept in memory, up to {@value
   * #UPPER_NODES} of them (a log of 2^32 entries has 2^24 level-8 nodes; the top ones fit).
   */
  private final java.util.concurrent.ConcurrentHashMap<ProofBuilder.Node, byte[]> upper =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final int UPPER_LEVEL = 8;
  private static final int UPPER_NODES = 200_000;

  public AuditStore(Database database) {
    this.jdbi = Jdbis.of(database);
    this.dialect = database.dialect();
  }

  /** The Jdbi this store uses. */
  public Jdbi jdbi() {
    return jdbi;
  }

  /** The dialect. */
  public Dialect dialect() {
    return dialect;
  }

  /** The tree head, locking it until the transaction ends. */
  public State lockState(Handle h) {
    return h.createQuery(
            "SELECT tree_size, root FROM audit_state WHERE id = 1 " + dialect.lockRowsClause())
        .map((rs, ctx) -> new State(rs.getLong(1), rs.getBytes(2)))
        .one();
  }

  /** The tree head without locking. */
  public State state() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT tree_size, root FROM audit_state WHERE id = 1")
                .map((rs, ctx) -> new State(rs.getLong(1), rs.getBytes(2)))
                .one());
  }

  /** The INSERT of one entry row; the bench's raw baseline uses the same statement. */
  public static final String INSERT_ENTRY =
      "INSERT INTO audit_entries (seq, recorded_at, tenant, actor, actor_role, subject, action,"
          + " purpose, legal_basis, categories, recipient, request_id, outcome, body_hash, leaf_hash,"
          + " submitted_by, leaf_salt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /**
   * Inserts a batch and moves the tree head, in the caller's transaction. Plain JDBC batches: this
   * is the hot path, and positional binding costs a fraction of named binding.
   */
  public void insert(Handle h, List<NewRow> rows, List<NewNode> nodes, State head) {
    try {
      java.sql.Connection c = h.getConnection();
      try (java.sql.PreparedStatement entries = c.prepareStatement(INSERT_ENTRY)) {
        for (NewRow row : rows) {
          bindEntry(entries, row.fields(), row.leafHash());
          entries.addBatch();
        }
        entries.executeBatch();
      }
      if (rows.stream().anyMatch(r -> r.body() != null)) {
        try (java.sql.PreparedStatement bodies =
            c.prepareStatement("INSERT INTO audit_bodies (seq, body) VALUES (?, ?)")) {
          for (NewRow row : rows) {
            if (row.body() != null) {
              bodies.setLong(1, row.fields().seq());
              bodies.setBytes(2, row.body());
              bodies.addBatch();
            }
          }
          bodies.executeBatch();
        }
      }
      if (!nodes.isEmpty()) {
        try (java.sql.PreparedStatement subtrees =
            c.prepareStatement(
                "INSERT INTO audit_subtrees (level, idx, end_leaf, hash) VALUES (?, ?, ?, ?)")) {
          for (NewNode node : nodes) {
            subtrees.setInt(1, node.level());
            subtrees.setLong(2, node.index());
            subtrees.setLong(3, node.endLeaf());
            subtrees.setBytes(4, node.hash());
            subtrees.addBatch();
          }
          subtrees.executeBatch();
        }
      }
      try (java.sql.PreparedStatement state =
          c.prepareStatement(
              "UPDATE audit_state SET tree_size = ?, root = ?, updated_at = ? WHERE id = 1")) {
        state.setLong(1, head.size());
        state.setBytes(2, head.root());
        state.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
        state.executeUpdate();
      }
    } catch (SQLException e) {
      throw new org.jdbi.v3.core.ConnectionException(
          new SQLException("audit batch insert failed (SQLSTATE " + e.getSQLState() + ")"));
    }
  }

  /** Binds one entry row to {@link #INSERT_ENTRY}. */
  public static void bindEntry(java.sql.PreparedStatement p, EntryCodec.Fields f, byte[] leafHash)
      throws SQLException {
    p.setLong(1, f.seq());
    p.setObject(2, f.recordedAt().atOffset(ZoneOffset.UTC));
    p.setString(3, f.tenant());
    p.setString(4, f.actor());
    p.setString(5, f.actorRole());
    p.setString(6, f.subject());
    p.setString(7, f.action());
    p.setString(8, f.purpose());
    p.setString(9, f.legalBasis());
    p.setString(10, f.categories());
    p.setString(11, f.recipient());
    p.setString(12, f.requestId());
    p.setString(13, f.outcome());
    p.setBytes(14, f.bodyHash());
    p.setBytes(15, leafHash);
    p.setString(16, f.submittedBy());
    p.setBytes(17, f.salt());
  }

  /** A stored idempotency key: the entry it appended and that entry's fingerprint. */
  public record KeyedSeq(long seq, String fingerprint) {}

  /** The stored keys among {@code keys} of {@code tenant}, in the caller's transaction. */
  public Map<String, KeyedSeq> idempotencyKeys(Handle h, String tenant, List<String> keys) {
    Map<String, KeyedSeq> out = new HashMap<>();
    if (keys.isEmpty()) {
      return out;
    }
    h.createQuery(
            "SELECT idempotency_key, seq, fingerprint FROM audit_idempotency"
                + " WHERE tenant = :t AND idempotency_key IN (<keys>)")
        .bind("t", tenant)
        .bindList("keys", keys)
        .map((rs, ctx) -> out.put(rs.getString(1), new KeyedSeq(rs.getLong(2), rs.getString(3))))
        .list();
    return out;
  }

  /** Stores idempotency keys of new entries, in the caller's transaction. */
  public void insertIdempotencyKeys(Handle h, List<String[]> rows) {
    if (rows.isEmpty()) {
      return;
    }
    var batch =
        h.prepareBatch(
            "INSERT INTO audit_idempotency (tenant, idempotency_key, seq, fingerprint)"
                + " VALUES (:t, :k, :s, :f)");
    for (String[] row : rows) {
      batch.bind("t", row[0]).bind("k", row[1]).bind("s", Long.parseLong(row[2]));
      batch.bind("f", row[3]).add();
    }
    batch.execute();
  }

  /**
   * The tree's frontier at {@code size} (its maximal complete subtrees), from the stored subtrees.
   *
   * @throws IllegalStateException if a subtree it needs is missing
   */
  public Frontier frontierAt(Handle h, long size) {
    return frontierAt(h, size, true);
  }

  /** The frontier at {@code size} from the database itself, bypassing the in-memory nodes. */
  public Frontier storedFrontierAt(Handle h, long size) {
    return frontierAt(h, size, false);
  }

  private Frontier frontierAt(Handle h, long size, boolean cached) {
    List<long[]> ranges = new java.util.ArrayList<>();
    long start = 0;
    for (long[] node : Merkle.frontierNodes(size)) {
      long width = 1L << node[0];
      ranges.add(new long[] {start, start + width});
      start += width;
    }
    return new Frontier(
        size, new ProofBuilder(wanted -> fetch(h, wanted, cached)).rangeHashes(ranges));
  }

  /**
   * Stored node hashes, in one round trip: level 0 from the entries' leaf hashes, higher levels
   * from subtrees. Nodes that are not stored are absent from the result.
   */
  public Map<ProofBuilder.Node, byte[]> nodes(Handle h, Set<ProofBuilder.Node> wanted) {
    return fetch(h, wanted, true);
  }

  /** As {@link #nodes}, always from the database: what verification reads. */
  public Map<ProofBuilder.Node, byte[]> storedNodes(Handle h, Set<ProofBuilder.Node> wanted) {
    return fetch(h, wanted, false);
  }

  private Map<ProofBuilder.Node, byte[]> fetch(
      Handle h, Set<ProofBuilder.Node> wanted, boolean cached) {
    Map<ProofBuilder.Node, byte[]> out = new HashMap<>();
    StringBuilder leaves = new StringBuilder();
    Map<Integer, StringBuilder> byLevel = new java.util.TreeMap<>();
    for (ProofBuilder.Node node : wanted) {
      byte[] known = cached && node.level() >= UPPER_LEVEL ? upper.get(node) : null;
      if (known != null) {
        out.put(node, known);
      } else if (node.level() == 0) {
        leaves.append(leaves.length() == 0 ? "" : ", ").append(node.index());
      } else {
        StringBuilder ids = byLevel.computeIfAbsent(node.level(), l -> new StringBuilder());
        ids.append(ids.length() == 0 ? "" : ", ").append(node.index());
      }
    }
    // one branch per level, so each uses the (level, idx) primary key
    List<String> parts = new ArrayList<>();
    if (leaves.length() > 0) {
      parts.add(
          "SELECT 0 AS level, seq AS idx, leaf_hash AS hash FROM audit_entries WHERE seq IN ("
              + leaves
              + ")");
    }
    byLevel.forEach(
        (level, ids) ->
            parts.add(
                "SELECT level, idx, hash FROM audit_subtrees WHERE level = "
                    + level
                    + " AND idx IN ("
                    + ids
                    + ")"));
    if (parts.isEmpty()) {
      return out;
    }
    h.createQuery(String.join(" UNION ALL ", parts))
        .map(
            (rs, ctx) ->
                Map.entry(new ProofBuilder.Node(rs.getInt(1), rs.getLong(2)), rs.getBytes(3)))
        .forEach(
            e -> {
              out.put(e.getKey(), e.getValue());
              if (cached && e.getKey().level() >= UPPER_LEVEL && upper.size() < UPPER_NODES) {
                upper.put(e.getKey(), e.getValue());
              }
            });
    return out;
  }

  /** A proof builder reading through a new handle per fetch. */
  public ProofBuilder proofs() {
    return new ProofBuilder(wanted -> jdbi.withHandle(h -> nodes(h, wanted)));
  }

  /** Reads the stored fields of an entry row. */
  public static EntryCodec.Fields fields(ResultSet rs) throws SQLException {
    return new EntryCodec.Fields(
        rs.getLong("seq"),
        instant(rs, "recorded_at"),
        rs.getString("tenant"),
        rs.getString("actor"),
        rs.getString("actor_role"),
        rs.getString("subject"),
        rs.getString("action"),
        rs.getString("purpose"),
        rs.getString("legal_basis"),
        rs.getString("categories"),
        rs.getString("recipient"),
        rs.getString("request_id"),
        rs.getString("outcome"),
        rs.getString("submitted_by"),
        rs.getBytes("body_hash"),
        rs.getBytes("leaf_salt"));
  }

  /** A timestamp column as an Instant. */
  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
