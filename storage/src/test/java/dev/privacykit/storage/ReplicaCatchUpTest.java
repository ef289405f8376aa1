package dev.privacykit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.StreamingReplica;
import dev.privacykit.storage.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * A streaming replica made by the test with pg_basebackup (PostgreSQL only: H2 has no replicas): a
 * row committed on the primary is read on the replica once {@link ReplicaCatchUp#waitFor} says the
 * replica has replayed the primary's WAL location taken after the commit; while replay is paused it
 * says no, and the replica still shows the old data.
 */
class ReplicaCatchUpTest {

  @DatabaseTest(Dialect.POSTGRESQL)
  void replicaRead_seesTheCommit_onceReplayPassedThePrimaryLsn(TestDatabase pg) throws Exception {
    StreamingReplica.assumeAvailable();
    try (StreamingReplica replica = StreamingReplica.start();
        Connection primary = pg.ownerConnection();
        Statement write = primary.createStatement()) {
      DataSource onReplica = replica.dataSource(pg.schema());
      write.execute("CREATE TABLE replica_probe (v INTEGER NOT NULL)");
      write.execute("INSERT INTO replica_probe VALUES (1)");
      String lsn = ReplicaCatchUp.primaryLsn(pg.database().dataSource());
      long start = System.nanoTime();
      assertThat(ReplicaCatchUp.waitFor(lsn, onReplica, Duration.ofSeconds(10))).isTrue();
      System.out.printf(
          "replica: caught up with %s in %d ms%n", lsn, (System.nanoTime() - start) / 1_000_000);
      assertThat(count(onReplica)).isEqualTo(1);

      // Replay paused: the replica falls behind, says so, and still shows the old data.
      try (Connection standby = onReplica.getConnection();
          Statement control = standby.createStatement()) {
        control.execute("SELECT pg_wal_replay_pause()");
        write.execute("INSERT INTO replica_probe VALUES (2)");
        String behind = ReplicaCatchUp.primaryLsn(pg.database().dataSource());
        assertThat(ReplicaCatchUp.waitFor(behind, onReplica, Duration.ofMillis(300))).isFalse();
        assertThat(count(onReplica)).isEqualTo(1);
        control.execute("SELECT pg_wal_replay_resume()");
        assertThat(ReplicaCatchUp.waitFor(behind, onReplica, Duration.ofSeconds(10))).isTrue();
        assertThat(count(onReplica)).isEqualTo(2);
      }

      // A primary is not taken for a caught-up replica; a malformed location is refused.
      assertThatThrownBy(
              () -> ReplicaCatchUp.waitFor(lsn, pg.database().dataSource(), Duration.ofSeconds(1)))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("not a standby");
      assertThatThrownBy(() -> ReplicaCatchUp.waitFor("x'; --", onReplica, Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static int count(DataSource source) throws Exception {
    try (Connection connection = source.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT count(*) FROM replica_probe")) {
      row.next();
      return row.getInt(1);
    }
  }
}
