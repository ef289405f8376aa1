package dev.privacykit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * PostgreSQL's partitioned audit tables (V10), with a partition every 8 entries: every partition,
 * including those made after the migration, refuses UPDATE, DELETE and TRUNCATE with triggers that
 * fire always; prune drops whole body partitions; an application role without CREATE privilege
 * appends across partition boundaries. H2 keeps plain tables, so these cases are PostgreSQL's.
 */
class PartitionedStorageTest {
  private static final List<String> TABLES = List.of("audit_entries", "audit_bodies");

  @DatabaseTest(Dialect.POSTGRESQL)
  void everyPartition_refusesUpdateDeleteAndTruncate_withTriggersThatFireAlways(TestDatabase test)
      throws Exception {
    try (PartitionedSchema db = PartitionedSchema.create(test, 8);
        AuditLog log = Logs.open(db.database)) {
      appendOneByOne(log, 13);
      // a group that crosses two boundaries in one transaction
      log.appendAll(entries(20), List.of()).join();
      assertThat(log.size()).isEqualTo(33);

      for (String table : TABLES) {
        List<PartitionedSchema.Partition> parts = db.partitions(table);
        assertContiguousFromZero(parts);
        assertThat(parts.size()).as(table + " partitions").isGreaterThanOrEqualTo(5);
        // made ahead of need: a whole empty partition beyond the head
        assertThat(parts.get(parts.size() - 1).from()).isGreaterThanOrEqualTo(log.size());
        try (Connection c = db.owner();
            Statement s = c.createStatement()) {
          for (PartitionedSchema.Partition part : parts) {
            assertThat(triggers(c, part.name()))
                .as(part.name() + " triggers and their firing")
                .isEqualTo(Map.of(table + "_append_only", "A", part.name() + "_no_truncate", "A"));
            assertRefused(s, "TRUNCATE " + part.name());
            if (part.from() < log.size()) { // row triggers need a row to fire on
              assertRefused(s, "UPDATE " + part.name() + " SET seq = seq");
              assertRefused(s, "DELETE FROM " + part.name());
              assertRefusedInReplicationMode(c, "DELETE FROM " + part.name());
            }
          }
          assertRefused(s, "TRUNCATE " + table);
          assertRefused(s, "TRUNCATE " + table + " CASCADE");
          assertRefused(s, "UPDATE " + table + " SET seq = seq");
          assertRefused(s, "DELETE FROM " + table);
          assertThat(triggers(c, table))
              .isEqualTo(Map.of(table + "_append_only", "A", table + "_no_truncate", "A"));
        }
      }
      assertThat(rowCount(db, "audit_entries")).isEqualTo(33);
      assertThat(log.verify().failure()).isEmpty();
    }
  }

  @DatabaseTest(Dialect.POSTGRESQL)
  void prune_dropsWholeBodyPartitions_andDeletesOnlyInTheOneItCuts(TestDatabase test)
      throws Exception {
    try (PartitionedSchema db = PartitionedSchema.create(test, 8);
        AuditLog log = Logs.open(db.database)) {
      appendOneByOne(log, 20);
      Thread.sleep(20);
      Instant cut = Instant.now();
      Thread.sleep(20);
      appendOneByOne(log, 3); // seqs 20..22
      List<String> before = names(db.partitions("audit_bodies"));
      assertThat(before).contains("audit_bodies_p0", "audit_bodies_p8", "audit_bodies_p16");

      // boundary 20: [0, 8) and [8, 16) go whole, 16..19 are deleted from [16, 24)
      assertThat(log.prune(cut, "svc:retention")).isEqualTo(20);

      List<String> after = names(db.partitions("audit_bodies"));
      assertThat(after).doesNotContain("audit_bodies_p0", "audit_bodies_p8");
      assertThat(after).contains("audit_bodies_p16");
      assertThat(db.partitions("audit_entries")).hasSameSizeAs(before); // entries stay whole
      assertThat(seqs(db, "audit_bodies_p16")).containsExactly(20L, 21L, 22L);
      assertThat(log.read(3).orElseThrow().body()).isEqualTo(AuditRecord.BodyState.PRUNED);
      assertThat(log.read(19).orElseThrow().body()).isEqualTo(AuditRecord.BodyState.PRUNED);
      assertThat(log.read(20).orElseThrow().body()).isEqualTo(AuditRecord.BodyState.PRESENT);
      try (Connection c = db.owner();
          Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT before_seq FROM audit_prunes")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong(1)).isEqualTo(20);
        }
        // outside prune, a body is still not deleted, nor a partition emptied
        assertRefused(s, "DELETE FROM audit_bodies WHERE seq = 20");
        assertRefused(s, "TRUNCATE audit_bodies_p16");
        // nor does the function prune past what a PRUNE entry announced
        assertRefused(s, "SELECT audit_prune_bodies(22)");
      }
      assertThat(log.verify().failure()).isEmpty();
      appendOneByOne(log, 10); // appends go on past the pruned partitions
      assertThat(log.verify().failure()).isEmpty();
    }
  }

  @DatabaseTest(Dialect.POSTGRESQL)
  void theApplicationRole_appendsAcrossPartitionBoundaries_withoutCreatePrivilege(TestDatabase test)
      throws Exception {
    String role = "pk_app_" + UUID.randomUUID().toString().substring(0, 8);
    try (PartitionedSchema db = PartitionedSchema.create(test, 8);
        Connection owner = db.owner();
        Statement sql = owner.createStatement()) {
      sql.execute("CREATE ROLE " + role + " LOGIN");
      try {
        for (String statement : AuditRolesTest.readmeGrants(role, db.schema)) {
          sql.execute(statement);
        }
        sql.execute(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON crypto_tenant_keys, crypto_subject_keys,"
                + " crypto_shredded_keys TO "
                + role);
        int partitionsBefore = db.partitions("audit_entries").size();
        String url = db.url.replace("user=postgres", "user=" + role);
        try (Database app = Database.open(url, c -> c.schema(db.schema));
            AuditLog log = Logs.open(app)) {
          appendOneByOne(log, 20);
          Thread.sleep(20);
          Instant cut = Instant.now();
          Thread.sleep(20);
          log.appendAll(entries(12), List.of()).join();
          assertThat(log.size()).isEqualTo(32);
          assertThat(log.verify().failure()).isEmpty();
          // prune as this role drops partitions it does not own, through the owner's function
          assertThat(log.prune(cut, "svc:retention")).isEqualTo(20);
          assertThat(names(db.partitions("audit_bodies")))
              .doesNotContain("audit_bodies_p0", "audit_bodies_p8");
          assertThat(log.verify().failure()).isEmpty();

          try (Connection direct = app.dataSource().getConnection();
              Statement attacker = direct.createStatement()) {
            assertRefused(attacker, "CREATE TABLE audit_entries_mine (seq BIGINT)");
            assertRefused(attacker, "TRUNCATE audit_entries_p8");
            assertRefused(attacker, "DELETE FROM audit_bodies_p24");
            assertRefused(attacker, "ALTER TABLE audit_entries DETACH PARTITION audit_entries_p8");
            assertRefused(attacker, "DROP TABLE audit_bodies_p24");
            // the partition maker will not fill the catalog on request
            assertThatThrownBy(() -> attacker.execute("SELECT audit_ensure_partitions(100000)"))
                .hasMessageContaining("more than 64 partitions ahead of the head");
          }
        }
        List<PartitionedSchema.Partition> parts = db.partitions("audit_entries");
        assertThat(parts.size()).isGreaterThan(partitionsBefore);
        assertThat(parts.get(parts.size() - 1).from()).isGreaterThanOrEqualTo(33);
        for (String table : TABLES) {
          for (PartitionedSchema.Partition part : db.partitions(table)) {
            assertThat(triggers(owner, part.name()))
                .isEqualTo(Map.of(table + "_append_only", "A", part.name() + "_no_truncate", "A"));
            assertThat(ownerOf(owner, part.name())).isNotEqualTo(role);
          }
        }
      } finally {
        sql.execute("DROP OWNED BY " + role);
        sql.execute("DROP ROLE " + role);
      }
    }
  }

  @DatabaseTest(Dialect.POSTGRESQL)
  void twoProcesses_appendAcrossBoundariesAtOnce_gaplessAndVerified(TestDatabase test)
      throws Exception {
    try (PartitionedSchema db = PartitionedSchema.create(test, 8);
        Database second = Database.open(db.url, c -> c.schema(db.schema));
        AuditLog one = Logs.open(db.database);
        AuditLog two = Logs.open(second)) {
      List<java.util.concurrent.CompletableFuture<Long>> seqs = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        seqs.add(one.append(Logs.read("subj-" + UUID.randomUUID())));
        seqs.add(two.append(Logs.read("subj-" + UUID.randomUUID())));
      }
      java.util.Set<Long> written = new java.util.TreeSet<>();
      seqs.forEach(f -> written.add(f.join()));
      assertThat(written).hasSize(300).first().isEqualTo(0L);
      assertThat(written).last().isEqualTo(299L);
      assertContiguousFromZero(db.partitions("audit_entries"));
      assertContiguousFromZero(db.partitions("audit_bodies"));
      assertThat(one.verify().failure()).isEmpty();
    }
  }

  /**
   * The owner (or a superuser) can still detach or drop a partition: no trigger fires on DDL. The
   * log's own records catch it: verify() finds the entries or bodies gone.
   */
  @DatabaseTest(Dialect.POSTGRESQL)
  void anOwnerDetachingAPartition_isCaughtByVerify(TestDatabase test) throws Exception {
    try (PartitionedSchema db = PartitionedSchema.create(test, 8);
        AuditLog log = Logs.open(db.database)) {
      appendOneByOne(log, 20);
      log.checkpoint();
      try (Connection c = db.owner();
          Statement s = c.createStatement()) {
        s.execute("ALTER TABLE audit_bodies DETACH PARTITION audit_bodies_p8");
        Verification bodiesGone = log.verify();
        assertThat(bodiesGone.failure()).isPresent();
        assertThat(bodiesGone.failure().get().seq()).isEqualTo(8);
        assertThat(bodiesGone.failure().get().message()).contains("body missing");
        s.execute(
            "ALTER TABLE audit_bodies ATTACH PARTITION audit_bodies_p8"
                + " FOR VALUES FROM (8) TO (16)");
        assertThat(log.verify().failure()).isEmpty();

        s.execute("ALTER TABLE audit_entries DETACH PARTITION audit_entries_p8");
        Verification entriesGone = log.verify();
        assertThat(entriesGone.failure()).isPresent();
        assertThat(entriesGone.failure().get().seq()).isEqualTo(8);
      }
    }
  }

  static void appendOneByOne(AuditLog log, int count) {
    for (int i = 0; i < count; i++) {
      log.append(Logs.read("subj-" + UUID.randomUUID())).join();
    }
  }

  static List<AuditEntry> entries(int count) {
    List<AuditEntry> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(Logs.read("subj-" + UUID.randomUUID()));
    }
    return out;
  }

  static void assertContiguousFromZero(List<PartitionedSchema.Partition> parts) {
    long next = 0;
    for (PartitionedSchema.Partition part : parts) {
      assertThat(part.from()).as(part.name()).isEqualTo(next);
      next = part.to();
    }
  }

  /** The user triggers of {@code table} (its own and those cloned from its parent), by firing. */
  static Map<String, String> triggers(Connection c, String table) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = ?::regclass"
                + " AND NOT tgisinternal")) {
      p.setString(1, table);
      Map<String, String> out = new TreeMap<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2));
        }
      }
      return out;
    }
  }

  private static String ownerOf(Connection c, String table) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = ?::regclass")) {
      p.setString(1, table);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  static long rowCount(PartitionedSchema db, String table) throws SQLException {
    try (Connection c = db.owner();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<Long> seqs(PartitionedSchema db, String table) throws SQLException {
    try (Connection c = db.owner();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT seq FROM " + table + " ORDER BY seq")) {
      List<Long> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
      return out;
    }
  }

  private static List<String> names(List<PartitionedSchema.Partition> parts) {
    return parts.stream().map(PartitionedSchema.Partition::name).toList();
  }

  static void assertRefused(Statement statement, String sql) {
    assertThatThrownBy(() -> statement.execute(sql))
        .as(sql)
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).as(sql).isEqualTo("42501"));
  }

  /** With {@code session_replication_role = replica}: ENABLE ALWAYS triggers still fire. */
  private static void assertRefusedInReplicationMode(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET session_replication_role = replica");
      try {
        assertRefused(s, sql);
      } finally {
        s.execute("SET session_replication_role = origin");
      }
    }
  }
}
