package dev.privacykit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.storage.spi.Jdbis;
import dev.privacykit.storage.testing.TestDatabase;
import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

  @dev.privacykit.storage.testing.DatabaseTest
  void migrate_appliesCommonAndDialectMigrations(TestDatabase test) {
    Jdbi jdbi = Jdbis.of(test.database());
    String marker =
        jdbi.withHandle(
            h -> h.createQuery("SELECT name FROM storage_probe_dialect").mapTo(String.class).one());
    assertThat(marker).isEqualTo(test.dialect().migrationFolder());
    assertThat(test.database().isMigrated()).isTrue();
    assertThat(test.database().isReady()).isTrue();
  }

  @dev.privacykit.storage.testing.DatabaseTest
  void migrate_again_isANoOp(Database db) {
    assertThat(db.migrate()).contains("storage_probe");
    assertThat(db.migrate()).contains("storage_probe");
    int versions =
        Jdbis.of(db)
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT count(*) FROM flyway_history_storage_probe"
                                + " WHERE success AND script LIKE 'V%'")
                        .mapTo(Integer.class)
                        .one());
    assertThat(versions).isEqualTo(2); // V1 and V2, each once
  }

  @dev.privacykit.storage.testing.DatabaseTest
  void statementFailure_messageHasNoBoundValues(Database db) {
    Jdbi jdbi = Jdbis.of(db);
    jdbi.useHandle(h -> h.execute("INSERT INTO storage_probe (id, note) VALUES (1, 'first')"));
    assertThatThrownBy(
            () ->
                jdbi.useHandle(
                    h ->
                        h.createUpdate("INSERT INTO storage_probe (id, note) VALUES (:id, :note)")
                            .bind("id", 1)
                            .bind("note", "alice@example.com")
                            .execute()))
        .isInstanceOf(UnableToExecuteStatementException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("alice@example.com"));
  }

  @dev.privacykit.storage.testing.DatabaseTest(Dialect.POSTGRESQL)
  void postgres_batchedInserts_goAsOneMultiRowStatement(Database db) throws Exception {
    try (java.sql.Connection c = db.dataSource().getConnection();
        java.sql.PreparedStatement insert =
            c.prepareStatement("INSERT INTO storage_probe (id, note) VALUES (?, ?)")) {
      for (int id = 100; id < 104; id++) {
        insert.setInt(1, id);
        insert.setString(2, "batched");
        insert.addBatch();
      }
      // Rewritten batches report no per-row counts; one statement per row would report 1 each.
      assertThat(insert.executeBatch()).containsOnly(java.sql.Statement.SUCCESS_NO_INFO);
    }
  }

  @dev.privacykit.storage.testing.DatabaseTest
  void secondPool_seesTheSameData(TestDatabase test) {
    Jdbis.of(test.database())
        .useHandle(h -> h.execute("INSERT INTO storage_probe (id, note) VALUES (42, 'shared')"));
    try (Database other = test.openAnother()) {
      String note =
          Jdbis.of(other)
              .withHandle(
                  h ->
                      h.createQuery("SELECT note FROM storage_probe WHERE id = 42")
                          .mapTo(String.class)
                          .one());
      assertThat(note).isEqualTo("shared");
    }
  }

  @Test
  void embedded_secondOpen_findsTheData(@TempDir Path dir) {
    try (Database first = Database.embedded(dir)) {
      first.migrate();
      Jdbis.of(first)
          .useHandle(h -> h.execute("INSERT INTO storage_probe (id, note) VALUES (7, 'kept')"));
    }
    try (Database second = Database.embedded(dir)) {
      assertThat(second.isReady()).isFalse(); // not migrated in this process yet
      second.migrate();
      assertThat(second.isReady()).isTrue();
      String note =
          Jdbis.of(second)
              .withHandle(
                  h ->
                      h.createQuery("SELECT note FROM storage_probe WHERE id = 7")
                          .mapTo(String.class)
                          .one());
      assertThat(note).isEqualTo("kept");
    }
  }

  @Test
  void open_unreachablePostgres_failsWithOneLineNamingTheDatabase() {
    assertThatThrownBy(
            () ->
                Database.open(
                    "jdbc:postgresql://127.0.0.1:1/nowhere?user=postgres&password=s3cret",
                    config -> config.connectionTimeout(java.time.Duration.ofSeconds(1))))
        .isInstanceOf(StorageException.class)
        .hasMessageStartingWith(
            "cannot connect to the database at jdbc:postgresql://127.0.0.1:1/nowhere: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret").doesNotContain("\n"));
  }

  @Test
  void open_unsupportedUrl_namesWhatIsExpected() {
    assertThatThrownBy(() -> Database.open("jdbc:mysql://user:pw@db/app"))
        .isInstanceOf(StorageException.class)
        .hasMessage(
            "unsupported JDBC URL jdbc:mysql://db/app: expected one starting with"
                + " jdbc:postgresql: or jdbc:h2:");
  }

  @Test
  void dialect_saysWhereTheDatabasesDiffer() {
    assertThat(Dialect.of("jdbc:h2:mem:x")).isEqualTo(Dialect.H2);
    assertThat(Dialect.of("JDBC:POSTGRESQL://h/db")).isEqualTo(Dialect.POSTGRESQL);
    assertThat(Dialect.H2.supportsCrossProcessNotify()).isFalse();
    assertThat(Dialect.POSTGRESQL.supportsCrossProcessNotify()).isTrue();
  }

  @Test
  void config_rejectsBadValuesWhenSet() {
    assertThatThrownBy(() -> new DatabaseConfig().maximumPoolSize(0))
        .hasMessage("maximumPoolSize must be 1 to 200, was 0");
    assertThatThrownBy(() -> new DatabaseConfig().schema("x; DROP TABLE y"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
