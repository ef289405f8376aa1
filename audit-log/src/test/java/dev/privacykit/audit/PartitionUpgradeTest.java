package dev.privacykit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * A log written at V9 (plain tables) and then migrated to V10: its rows are not rewritten but stay
 * in the old tables, now the first partitions; old proofs and checkpoints still hold, and appends
 * go on into new partitions.
 */
class PartitionUpgradeTest {

  @DatabaseTest(Dialect.POSTGRESQL)
  void aLogWrittenAtV9_keepsItsRowsInPlace_andVerifiesAfterV10(TestDatabase test) throws Exception {
    try (PartitionedSchema db = PartitionedSchema.createAt(test, 8, "9")) {
      Checkpoint old;
      Object oldEntriesTable;
      Object oldBodiesFile;
      try (AuditLog log = Logs.open(db.database)) {
        PartitionedStorageTest.appendOneByOne(log, 13);
        old = log.checkpoint();
        oldEntriesTable = relation(db, "oid", "audit_entries");
        oldBodiesFile = relation(db, "relfilenode", "audit_bodies");
        assertThat(relation(db, "relkind", "audit_entries")).isEqualTo('r');
      }

      db.database.migrate();

      // the same table, the same file: renamed and attached, not copied
      assertThat(relation(db, "oid", "audit_entries_p0")).isEqualTo(oldEntriesTable);
      assertThat(relation(db, "relfilenode", "audit_bodies_p0")).isEqualTo(oldBodiesFile);
      assertThat(relation(db, "relkind", "audit_entries")).isEqualTo('p');
      for (String table : List.of("audit_entries", "audit_bodies")) {
        List<PartitionedSchema.Partition> parts = db.partitions(table);
        // [0, 16): 8 rounded up to cover the head of 13; then a spare one
        assertThat(parts.get(0)).isEqualTo(new PartitionedSchema.Partition(table + "_p0", 0, 16));
        assertThat(parts).hasSize(2);
        assertThat(PartitionedStorageTest.rowCount(db, table + "_p0")).isEqualTo(13);
        try (Connection c = db.owner()) {
          assertThat(PartitionedStorageTest.triggers(c, table + "_p0"))
              .isEqualTo(Map.of(table + "_append_only", "A", table + "_p0_no_truncate", "A"));
          try (Statement s = c.createStatement()) {
            PartitionedStorageTest.assertRefused(s, "TRUNCATE " + table + "_p0");
            PartitionedStorageTest.assertRefused(s, "DELETE FROM " + table + " WHERE seq = 3");
          }
        }
      }

      try (AuditLog log = Logs.open(db.database)) {
        assertThat(log.verify().failure()).isEmpty();
        PartitionedStorageTest.appendOneByOne(log, 12); // into [16, 24) and [24, 32)
        Checkpoint now = log.checkpoint();
        for (long seq : List.of(0L, 7L, 12L)) {
          InclusionProof proof = log.inclusionProof(seq, now.size());
          proof.verifyOffline(now.note(), log.verifierKey());
          assertThat(log.read(seq).orElseThrow().body()).isEqualTo(AuditRecord.BodyState.PRESENT);
        }
        assertThat(log.consistencyProof(old.size(), now.size()).verify(old, now)).isTrue();
        assertThat(db.partitions("audit_entries")).hasSize(4);
        assertThat(log.verify().failure()).isEmpty();
      }
    }
  }

  private static Object relation(PartitionedSchema db, String column, String table)
      throws SQLException {
    try (Connection c = db.owner();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT "
                    + column
                    + " FROM pg_class WHERE oid = '"
                    + db.schema
                    + "."
                    + table
                    + "'::regclass")) {
      rs.next();
      Object value = rs.getObject(1);
      return value instanceof String text && text.length() == 1 ? text.charAt(0) : value;
    }
  }
}
