package dev.privacykit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A superuser who switches the triggers off and edits the log: verify() finds each edit at its
 * exact seq and kind. Every test restores what it changed, so the class's log stays valid.
 */
class AuditTamperTest {
  private static final List<String> TABLES =
      List.of(
          "audit_entries", "audit_bodies", "audit_subtrees", "audit_checkpoints", "audit_state");
  private static final List<String> SWAPPED =
      List.of(
          "actor",
          "actor_role",
          "subject",
          "action",
          "purpose",
          "request_id",
          "body_hash",
          "leaf_hash");

  /** Runs {@code sql} as the database owner with the append-only triggers switched off. */
  private static void asSuperuser(TestDatabase test, String... sql) throws Exception {
    try (Connection c = test.ownerConnection();
        Statement s = c.createStatement()) {
      if (test.dialect() == Dialect.POSTGRESQL) {
        for (String table : TABLES) {
          s.execute("ALTER TABLE " + table + " DISABLE TRIGGER ALL");
        }
        for (String statement : sql) {
          s.execute(statement);
        }
        for (String table : TABLES) {
          enableAlways(s, table);
        }
      } else {
        for (String table : TABLES) {
          String trigger =
              table.equals("audit_state") ? "audit_state_no_delete" : table + "_append_only";
          s.execute("DROP TRIGGER IF EXISTS " + trigger);
        }
        for (String statement : sql) {
          s.execute(statement);
        }
        for (String table : TABLES) {
          String trigger =
              table.equals("audit_state") ? "audit_state_no_delete" : table + "_append_only";
          String events = table.equals("audit_state") ? "DELETE" : "UPDATE, DELETE";
          s.execute(
              "CREATE TRIGGER "
                  + trigger
                  + " BEFORE "
                  + events
                  + " ON "
                  + table
                  + " FOR EACH ROW CALL 'dev.privacykit.audit.internal.H2AppendOnlyTrigger'");
        }
      }
    }
  }

  private static void enableAlways(Statement s, String table) throws java.sql.SQLException {
    String first = table.equals("audit_state") ? "_no_delete" : "_append_only";
    for (String suffix : List.of(first, "_no_truncate")) {
      s.execute("ALTER TABLE " + table + " ENABLE ALWAYS TRIGGER " + table + suffix);
    }
  }

  private static java.time.Instant instant(Object value) {
    if (value instanceof java.time.OffsetDateTime odt) {
      return odt.toInstant();
    }
    return ((java.sql.Timestamp) value).toInstant();
  }

  static Map<String, Object> row(TestDatabase test, String table, long seq) throws Exception {
    try (Connection c = test.ownerConnection();
        PreparedStatement p = c.prepareStatement("SELECT * FROM " + table + " WHERE seq = ?")) {
      p.setLong(1, seq);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          out.put(
              rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT),
              rs.getObject(i));
        }
        return out;
      }
    }
  }

  static void write(TestDatabase test, String table, long seq, Map<String, Object> values)
      throws Exception {
    try (Connection c = test.ownerConnection();
        Statement s = c.createStatement()) {
      if (test.dialect() == Dialect.POSTGRESQL) {
        s.execute("ALTER TABLE " + table + " DISABLE TRIGGER ALL");
      } else {
        s.execute("DROP TRIGGER IF EXISTS " + table + "_append_only");
      }
      StringBuilder sql = new StringBuilder("UPDATE " + table + " SET ");
      int i = 0;
      for (String column : values.keySet()) {
        sql.append(i++ == 0 ? "" : ", ").append(column).append(" = ?");
      }
      sql.append(" WHERE seq = ?");
      try (PreparedStatement p = c.prepareStatement(sql.toString())) {
        int at = 1;
        for (Object value : values.values()) {
          p.setObject(at++, value);
        }
        p.setLong(at, seq);
        p.executeUpdate();
      }
      if (test.dialect() == Dialect.POSTGRESQL) {
        enableAlways(s, table);
      } else {
        s.execute(
            "CREATE TRIGGER "
                + table
                + "_append_only BEFORE UPDATE, DELETE ON "
                + table
                + " FOR EACH ROW CALL 'dev.privacykit.audit.internal.H2AppendOnlyTrigger'");
      }
    }
  }

  private static long seed(AuditLog log) {
    long first = -1;
    for (int i = 0; i < 20; i++) {
      long seq = log.append(Logs.read("subj_tamper_" + i)).join();
      first = first < 0 ? seq : first;
    }
    log.checkpoint();
    return first;
  }

  @DatabaseTest
  void changedBody_isFoundAtItsSeq(TestDatabase test) throws Exception {
    try (AuditLog log = Logs.open(test.database())) {
      long seq = seed(log) + 7;
      Map<String, Object> body = row(test, "audit_bodies", seq);
      byte[] altered = ((byte[]) body.get("body")).clone();
      altered[altered.length - 1] ^= 1;
      write(test, "audit_bodies", seq, Map.of("body", altered));
      Verification.Failure failure = log.verify().failure().orElseThrow();
      assertThat(failure.seq()).isEqualTo(seq);
      assertThat(failure.kind()).isEqualTo(Verification.Kind.LEAF);
      assertThat(failure.message())
          .startsWith("audit log broken at seq " + seq + " (LEAF): calculated body hash ");
      VerificationRun broken = log.lastVerification().orElseThrow();
      assertThat(broken.ok()).isFalse();
      assertThat(broken.failure()).contains(Verification.Kind.LEAF);
      write(test, "audit_bodies", seq, Map.of("body", body.get("body")));
      assertThat(log.verify().failure()).isEmpty();
      VerificationRun mended = log.lastVerification().orElseThrow();
      assertThat(mended.ok()).isTrue();
      assertThat(mended.entries()).isEqualTo(log.size());
      assertThat(mended.verifiedAt()).isAfterOrEqualTo(broken.verifiedAt());
    }
  }

  @DatabaseTest
  void changedEntry_isALeafFailure_withCalculatedAndStoredHashes(TestDatabase test)
      throws Exception {
    try (AuditLog log = Logs.open(test.database())) {
      long seq = seed(log) + 3;
      Object actor = row(test, "audit_entries", seq).get("actor");
      write(test, "audit_entries", seq, Map.of("actor", "mallory"));
      Verification verification = log.verify();
      Verification.Failure failure = verification.failure().orElseThrow();
      assertThat(failure.seq()).isEqualTo(seq);
      assertThat(failure.kind()).isEqualTo(Verification.Kind.LEAF);
      assertThat(failure.calculated()).hasSize(64).isNotEqualTo(failure.stored());
      assertThat(failure.lastGoodCheckpoint()).isLessThanOrEqualTo(seq);
      write(test, "audit_entries", seq, Map.of("actor", actor));
      assertThat(log.verify().failure()).isEmpty();
    }
  }

  @DatabaseTest
  void submitter_isPartOfTheLeaf_soRewritingOrClearingItIsALeafFailure(TestDatabase test)
      throws Exception {
    try (AuditLog log = Logs.open(test.database())) {
      seed(log);
      long seq =
          log.append(
                  AuditEntry.builder("acme", "agent-7", Action.READ)
                      .subject("subj_submitted")
                      .submittedBy("https://id.example|orders")
                      .build())
              .join();
      log.checkpoint();
      assertThat(log.read(seq).orElseThrow().entry().submittedBy())
          .isEqualTo("https://id.example|orders");
      assertThat(log.verify().ok()).isTrue();
      for (Object forged : new Object[] {"https://id.example|admin", null}) {
        java.util.Map<String, Object> values = new java.util.HashMap<>();
        values.put("submitted_by", forged);
        write(test, "audit_entries", seq, values);
        Verification.Failure failure = log.verify().failure().orElseThrow();
        assertThat(failure.seq()).isEqualTo(seq);
        assertThat(failure.kind()).isEqualTo(Verification.Kind.LEAF);
      }
      write(test, "audit_entries", seq, Map.of("submitted_by", "https://id.example|orders"));
      assertThat(log.verify().ok()).as("restored for the tests after this one").isTrue();
    }
  }

  @DatabaseTest
  void swappedPair_isFoundAtTheFirstOfThePair(TestDatabase test) throws Exception {
    try (AuditLog log = Logs.open(test.database())) {
      long seq = seed(log) + 10;
      Map<String, Object> a = row(test, "audit_entries", seq);
      Map<String, Object> b = row(test, "audit_entries", seq + 1);
      write(test, "audit_entries", seq, pick(b));
      write(test, "audit_entries", seq + 1, pick(a));
      Verification.Failure failure = log.verify().failure().orElseThrow();
      assertThat(failure.seq()).isEqualTo(seq);
      assertThat(failure.kind()).isEqualTo(Verification.Kind.LEAF);
      write(test, "audit_entries", seq, pick(a));
      write(test, "audit_entries", seq + 1, pick(b));
      assertThat(log.verify().failure()).isEmpty();
    }
  }

  @DatabaseTest
  void deletedRow_isAGapAtItsSeq(TestDatabase test) throws Exception {
    try (AuditLog log = Logs.open(test.database())) {
      long seq = seed(log) + 5;
      Map<String, Object> entry = row(test, "audit_entries", seq);
      asSuperuser(test, "DELETE FROM audit_entries WHERE seq = " + seq);
      Verification.Failure failure = log.verify().failure().orElseThrow();
      assertThat(failure.seq()).isEqualTo(seq);
      assertThat(failure.kind()).isEqualTo(Verification.Kind.GAP);
      reinsert(test, entry);
      assertThat(log.verify().failure()).isEmpty();
    }
  }

  @DatabaseTest
  void aPruneRowWithoutAnAnnouncingEntry_provesNothing_soTheMissingBodyIsFound(TestDatabase test)
      throws Exception {
    try (AuditLog log = Logs.open(test.database())) {
      long seq = seed(log) + 8;
      Map<String, Object> body = row(test, "audit_bodies", seq);
      // Someone who can write the prune table (the application role can insert) pretends a prune
      // happened, and deletes a body with the switch a real prune uses.
      asSuperuser(
          test,
          "INSERT INTO audit_prunes (before_seq, pruned_at) VALUES ("
              + (seq + 1)
              + ", CURRENT_TIMESTAMP)",
          "DELETE FROM audit_bodies WHERE seq = " + seq);
      Verification.Failure failure = log.verify().failure().orElseThrow();
      assertThat(failure.seq()).isEqualTo(seq);
      assertThat(failure.kind()).isEqualTo(Verification.Kind.LEAF);
      assertThat(failure.calculated()).isEqualTo("body missing");
      // The fake prune row stays (the table is append-only too); unannounced, it is ignored.
      try (Connection c = test.ownerConnection();
          PreparedStatement p =
              c.prepareStatement("INSERT INTO audit_bodies (seq, body) VALUES (?, ?)")) {
        p.setLong(1, seq);
        p.setBytes(2, (byte[]) body.get("body"));
        p.executeUpdate();
      }
      assertThat(log.verify().failure()).as("restored for the tests after this one").isEmpty();
    }
  }

  @DatabaseTest
  void rewrittenLeafHash_isCaughtByTheSubtreesAndCheckpoints(TestDatabase test) throws Exception {
    try (AuditLog log = Logs.open(test.database())) {
      long seq = seed(log) + 2;
      Map<String, Object> entry = row(test, "audit_entries", seq);
      // a careful forger recomputes the leaf hash of the changed row
      var fields =
          new dev.privacykit.audit.internal.EntryCodec.Fields(
              seq,
              instant(entry.get("recorded_at")),
              (String) entry.get("tenant"),
              "mallory",
              (String) entry.get("actor_role"),
              (String) entry.get("subject"),
              (String) entry.get("action"),
              (String) entry.get("purpose"),
              (String) entry.get("legal_basis"),
              (String) entry.get("categories"),
              (String) entry.get("recipient"),
              (String) entry.get("request_id"),
              (String) entry.get("outcome"),
              (String) entry.get("submitted_by"),
              (byte[]) entry.get("body_hash"),
              (byte[]) entry.get("leaf_salt"));
      write(
          test,
          "audit_entries",
          seq,
          Map.of(
              "actor",
              "mallory",
              "leaf_hash",
              dev.privacykit.audit.internal.EntryCodec.leaf(fields)));
      Verification.Failure failure = log.verify().failure().orElseThrow();
      assertThat(failure.kind())
          .isIn(Verification.Kind.SUBTREE, Verification.Kind.INCONSISTENT, Verification.Kind.ROOT);
      // with subtrees stored every 4th level, a forged leaf shows at the next stored subtree or
      // signed checkpoint above it: at most 15 entries later
      assertThat(failure.seq()).isBetween(seq, seq + 15);
      write(
          test,
          "audit_entries",
          seq,
          Map.of("actor", entry.get("actor"), "leaf_hash", entry.get("leaf_hash")));
      assertThat(log.verify().failure()).isEmpty();
    }
  }

  @DatabaseTest
  void forgedCheckpointSignature_isASignatureFailure(TestDatabase test) throws Exception {
    try (AuditLog log = Logs.open(test.database())) {
      seed(log);
      Checkpoint latest = log.checkpoint();
      String forged =
          latest
              .note()
              .replace(
                  "\u2014 test.privacykit.dev/audit ", "\u2014 test.privacykit.dev/audit AAAA");
      setNote(test, latest.size(), forged);
      try {
        Verification.Failure failure = log.verify().failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(Verification.Kind.SIGNATURE);
        assertThat(failure.seq()).isEqualTo(latest.size());
      } finally {
        setNote(test, latest.size(), latest.note());
      }
      assertThat(log.verify().failure()).isEmpty();
    }
  }

  private static void setNote(TestDatabase test, long size, String note) throws Exception {
    try (Connection c = test.ownerConnection();
        Statement s = c.createStatement()) {
      if (test.dialect() == Dialect.POSTGRESQL) {
        s.execute("ALTER TABLE audit_checkpoints DISABLE TRIGGER ALL");
      } else {
        s.execute("DROP TRIGGER IF EXISTS audit_checkpoints_append_only");
      }
      try (PreparedStatement p =
          c.prepareStatement("UPDATE audit_checkpoints SET note = ? WHERE tree_size = ?")) {
        p.setString(1, note);
        p.setLong(2, size);
        p.executeUpdate();
      }
      if (test.dialect() == Dialect.POSTGRESQL) {
        enableAlways(s, "audit_checkpoints");
      } else {
        s.execute(
            "CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE, DELETE ON audit_checkpoints"
                + " FOR EACH ROW CALL 'dev.privacykit.audit.internal.H2AppendOnlyTrigger'");
      }
    }
  }

  private static Map<String, Object> pick(Map<String, Object> row) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String column : SWAPPED) {
      out.put(column, row.get(column));
    }
    return out;
  }

  private static void reinsert(TestDatabase test, Map<String, Object> row) throws Exception {
    try (Connection c = test.ownerConnection()) {
      StringBuilder columns = new StringBuilder();
      StringBuilder marks = new StringBuilder();
      for (String column : row.keySet()) {
        columns.append(columns.length() == 0 ? "" : ", ").append(column);
        marks.append(marks.length() == 0 ? "?" : ", ?");
      }
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO audit_entries (" + columns + ") VALUES (" + marks + ")")) {
        int at = 1;
        for (Object value : row.values()) {
          p.setObject(at++, value);
        }
        p.executeUpdate();
      }
    }
  }
}
