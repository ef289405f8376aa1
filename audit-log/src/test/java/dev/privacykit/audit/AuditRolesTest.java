package dev.privacykit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.audit.internal.AuditStore;
import dev.privacykit.audit.internal.EntryStore;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;

/**
 * Prune cannot be faked: bodies go only below a boundary the log announced, and on PostgreSQL the
 * application role of the module README's set-up can insert and read but never delete or change a
 * row, whatever session setting it chooses.
 */
class AuditRolesTest {

  @DatabaseTest
  void bodiesGoOnlyBelowAnAnnouncedBoundary(TestDatabase test) throws Exception {
    try (AuditLog log = Logs.open(test.database())) {
      long seq = log.append(Logs.read("subj-" + UUID.randomUUID())).join();
      EntryStore entries = new EntryStore(new AuditStore(test.database()));
      assertThatThrownBy(() -> entries.pruneBodies(seq + 1))
          .hasMessageContaining("no PRUNE entry in the log announces the boundary " + (seq + 1));
      assertThat(log.read(seq).orElseThrow().body()).isEqualTo(AuditRecord.BodyState.PRESENT);
      assertThat(entries.pruneRows()).doesNotContain(seq + 1);
    }
  }

  @DatabaseTest
  void theApplicationRole_insertsAndReads_neverDeletesOrChanges(TestDatabase test)
      throws Exception {
    if (test.dialect() != Dialect.POSTGRESQL) {
      return; // roles are PostgreSQL's; the embedded H2 database has one user
    }
    String role = "pk_app_" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection owner = test.ownerConnection();
        Statement sql = owner.createStatement()) {
      sql.execute("CREATE ROLE " + role + " LOGIN");
      try {
        for (String statement : readmeGrants(role, test.schema())) {
          sql.execute(statement);
        }
        sql.execute(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON crypto_tenant_keys, crypto_subject_keys,"
                + " crypto_shredded_keys TO "
                + role);
        String url = test.url().replace("user=postgres", "user=" + role);
        try (Database app = Database.open(url, c -> c.schema(test.schema()));
            AuditLog log = Logs.open(app)) {
          long old = log.append(Logs.read("subj-" + UUID.randomUUID())).join();
          Thread.sleep(20);
          Instant cut = Instant.now();
          Thread.sleep(20);
          long recent = log.append(Logs.read("subj-" + UUID.randomUUID())).join();
          // sequenced appends work with the README's grants too
          SequencedAppends sequenced = SequencedAppends.of(log);
          sequenced.integrate(
              java.util.List.of(Logs.read("subj-" + UUID.randomUUID())),
              java.util.List.of(0L),
              0,
              1);

          try (Connection direct = DriverManager.getConnection(url);
              Statement attacker = direct.createStatement()) {
            direct.setSchema(test.schema());
            attacker.execute("SELECT set_config('privacykit.audit_prune', 'on', false)");
            assertRefused(attacker, "DELETE FROM audit_bodies WHERE seq = " + old);
            assertRefused(attacker, "UPDATE audit_entries SET actor = 'nobody' WHERE seq = " + old);
            assertRefused(attacker, "DELETE FROM audit_entries WHERE seq = " + old);
            assertRefused(attacker, "TRUNCATE audit_bodies");
            assertRefused(attacker, "DELETE FROM audit_prunes");
            assertRefused(attacker, "DELETE FROM audit_sequenced");
            assertRefused(attacker, "UPDATE audit_sequenced SET seq = 0");
            // the prune function deletes nothing without a PRUNE entry announcing the boundary
            assertRefused(attacker, "SELECT audit_prune_bodies(" + (recent + 1) + ")");
            // and the switch cannot be handed out: only the owner may change who runs it
            assertRefused(attacker, "ALTER FUNCTION audit_prune_bodies(BIGINT) SECURITY INVOKER");
          }
          assertThat(log.read(old).orElseThrow().body()).isEqualTo(AuditRecord.BodyState.PRESENT);

          // the real prune works as the application role: announced first, then run by the owner
          assertThat(log.prune(cut, "svc:retention")).isGreaterThanOrEqualTo(1);
          assertThat(log.read(old).orElseThrow().body()).isEqualTo(AuditRecord.BodyState.PRUNED);
          assertThat(log.read(recent).orElseThrow().body())
              .isEqualTo(AuditRecord.BodyState.PRESENT);
          assertThat(log.verify().failure()).isEmpty();
        }
      } finally {
        sql.execute("DROP OWNED BY " + role);
        sql.execute("DROP ROLE " + role);
      }
    }
  }

  /**
   * The GRANT statements of the module README's role set-up, for {@code role} in {@code schema}.
   */
  static java.util.List<String> readmeGrants(String role, String schema) throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int section = readme.indexOf("## Append-only in the database");
    int start = readme.indexOf("```sql", section) + "```sql".length();
    String block = readme.substring(start, readme.indexOf("```", start));
    java.util.List<String> grants = new java.util.ArrayList<>();
    for (String statement : block.split(";")) {
      String text = statement.replaceAll("--[^\\n]*", "").strip();
      if (text.startsWith("GRANT")) {
        grants.add(
            text.replace("privacykit_app", role).replace("SCHEMA privacykit", "SCHEMA " + schema));
      }
    }
    assertThat(grants).as("the README's GRANT statements").hasSizeGreaterThan(3);
    return grants;
  }

  private static void assertRefused(Statement statement, String sql) {
    assertThatThrownBy(() -> statement.execute(sql))
        .as(sql)
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
  }
}
