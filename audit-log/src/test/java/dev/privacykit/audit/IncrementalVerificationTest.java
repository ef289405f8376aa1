package dev.privacykit.audit;

import static dev.privacykit.audit.AuditTamperTest.row;
import static dev.privacykit.audit.AuditTamperTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.util.Map;
import java.util.Random;

/**
 * An incremental run checks only what came after the tree the last good run proved, and finds what
 * a full run finds there: on random tamperings of new entries, bodies and subtrees, both report the
 * same seq and kind; a changed subtree below the proved size breaks the incremental run's starting
 * point.
 */
class IncrementalVerificationTest {

  private static void append(AuditLog log, int n, String prefix) {
    for (int i = 0; i < n; i++) {
      log.append(Logs.read(prefix + i)).join();
    }
  }

  @DatabaseTest
  void incrementalFindsWhatFullFinds_onRandomTamperings(TestDatabase test) throws Exception {
    try (AuditLog log = Logs.open(test.database())) {
      append(log, 40, "subj_inc_a_");
      assertThat(log.verify().ok()).isTrue();
      long proved = log.size();
      append(log, 300, "subj_inc_b_");
      log.checkpoint();
      Verification clean = log.verifyIncremental();
      assertThat(clean.ok()).isTrue();
      assertThat(clean.entries()).isEqualTo(log.size());
      assertThat(log.lastVerification().orElseThrow().ok()).isTrue();
      append(log, 60, "subj_inc_c_");
      long head = log.size();

      Random random = new Random(42);
      for (int trial = 0; trial < 6; trial++) {
        // each trial tampers past the last proved tree (after the 340 entries proved above)
        long seq = proved + 300 + random.nextInt((int) (head - proved - 300));
        String table = trial % 2 == 0 ? "audit_entries" : "audit_bodies";
        Map<String, Object> original = row(test, table, seq);
        if (table.equals("audit_entries")) {
          write(test, table, seq, Map.of("actor", "mallory-" + trial));
        } else {
          byte[] body = ((byte[]) original.get("body")).clone();
          body[random.nextInt(body.length)] ^= 1;
          write(test, table, seq, Map.of("body", body));
        }
        Verification full = log.verify();
        Verification incremental = log.verifyIncremental();
        assertThat(full.failure()).as("trial " + trial).isPresent();
        assertThat(incremental.failure().orElseThrow().seq()).isEqualTo(full.failure().get().seq());
        assertThat(incremental.failure().get().kind()).isEqualTo(full.failure().get().kind());
        write(
            test,
            table,
            seq,
            table.equals("audit_entries")
                ? Map.of("actor", original.get("actor"))
                : Map.of("body", original.get("body")));
      }
      assertThat(log.verifyIncremental().ok()).isTrue();

      // a subtree below the proved size: the starting point no longer gives the proved root
      long provedNow = log.size();
      append(log, 10, "subj_inc_d_");
      Map<String, Object> subtree = firstSubtree(test);
      long idx = ((Number) subtree.get("idx")).longValue();
      int level = ((Number) subtree.get("level")).intValue();
      assertThat(idx).isLessThan(provedNow);
      updateSubtree(test, level, idx, new byte[32]);
      Verification broken = log.verifyIncremental();
      assertThat(broken.failure().orElseThrow().kind())
          .isIn(Verification.Kind.INCONSISTENT, Verification.Kind.SUBTREE);
      assertThat(log.verify().failure().orElseThrow().kind()).isEqualTo(Verification.Kind.SUBTREE);
      updateSubtree(test, level, idx, (byte[]) subtree.get("hash"));
      assertThat(log.verify().ok()).isTrue();
    }
  }

  private static Map<String, Object> firstSubtree(TestDatabase test) throws Exception {
    try (var c = test.ownerConnection();
        var s = c.createStatement();
        var rs =
            s.executeQuery(
                "SELECT level, idx, hash FROM audit_subtrees ORDER BY level DESC, idx LIMIT 1")) {
      rs.next();
      return Map.of("level", rs.getInt(1), "idx", rs.getLong(2), "hash", rs.getBytes(3));
    }
  }

  private static void updateSubtree(TestDatabase test, int level, long idx, byte[] hash)
      throws Exception {
    try (var c = test.ownerConnection();
        var s = c.createStatement()) {
      boolean postgres = test.dialect() == dev.privacykit.storage.Dialect.POSTGRESQL;
      s.execute(
          postgres
              ? "ALTER TABLE audit_subtrees DISABLE TRIGGER ALL"
              : "DROP TRIGGER IF EXISTS audit_subtrees_append_only");
      try (var p =
          c.prepareStatement("UPDATE audit_subtrees SET hash = ? WHERE level = ? AND idx = ?")) {
        p.setBytes(1, hash);
        p.setInt(2, level);
        p.setLong(3, idx);
        assertThat(p.executeUpdate()).isEqualTo(1);
      }
      if (postgres) {
        s.execute("ALTER TABLE audit_subtrees ENABLE ALWAYS TRIGGER audit_subtrees_append_only");
        s.execute("ALTER TABLE audit_subtrees ENABLE ALWAYS TRIGGER audit_subtrees_no_truncate");
      } else {
        s.execute(
            "CREATE TRIGGER audit_subtrees_append_only BEFORE UPDATE, DELETE ON audit_subtrees FOR"
                + " EACH ROW CALL 'dev.privacykit.audit.internal.H2AppendOnlyTrigger'");
      }
    }
  }
}
