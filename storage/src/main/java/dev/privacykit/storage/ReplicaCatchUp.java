package dev.privacykit.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Read-your-writes on a PostgreSQL streaming replica: take the primary's WAL location right after a
 * change commits ({@link #primaryLsn}), then read from a replica only once it has replayed that far
 * ({@link #waitFor}); the read then sees the change. PostgreSQL only: H2 has no replicas.
 *
 * <pre>{@code
 * ledger.give(...);                                   // committed on the primary
 * String lsn = ReplicaCatchUp.primaryLsn(primary);    // e.g. "0/3000148"
 * if (ReplicaCatchUp.waitFor(lsn, replica, Duration.ofMillis(200))) { read from the replica }
 * else { read from the primary }
 * }</pre>
 *
 * <p>The location is {@code pg_current_wal_lsn()}, taken after the commit returned: with {@code
 * synchronous_commit} on, the commit record lies at or before it. The replica is caught up when
 * {@code pg_last_wal_replay_lsn()} is at or after it (replayed, not merely received, so visible to
 * queries).
 */
public final class ReplicaCatchUp {
  private static final Pattern LSN = Pattern.compile("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}");
  private static final long POLL_MILLIS = 5;

  private ReplicaCatchUp() {}

  /**
   * The primary's current WAL location ({@code pg_current_wal_lsn()}), as text like "0/3000148".
   */
  public static String primaryLsn(DataSource primary) {
    try (Connection connection = primary.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
      row.next();
      return row.getString(1);
    } catch (SQLException e) {
      throw new StorageException(
          "cannot read the primary's WAL location (PostgreSQL primaries only)", e);
    }
  }

  /**
   * Waits until {@code replica} has replayed the WAL up to {@code primaryLsn}, polling every few
   * milliseconds; true when it has within {@code timeout}, false when not (read from the primary
   * then). Throws {@link StorageException} when {@code replica} is not a standby in recovery, so a
   * misconfigured replica is not taken for a caught-up one.
   */
  public static boolean waitFor(String primaryLsn, DataSource replica, Duration timeout) {
    if (primaryLsn == null || !LSN.matcher(primaryLsn).matches()) {
      throw new IllegalArgumentException("primaryLsn must be a PostgreSQL LSN such as 0/3000148");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Connection connection = replica.getConnection();
        PreparedStatement replayed =
            connection.prepareStatement(
                "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
      replayed.setString(1, primaryLsn);
      while (true) {
        try (ResultSet row = replayed.executeQuery()) {
          row.next();
          if (!row.getBoolean(1)) {
            throw new StorageException("the replica is not a standby in recovery");
          }
          if (row.getBoolean(2)) {
            return true;
          }
        }
        if (System.nanoTime() >= deadline) {
          return false;
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (SQLException e) {
      throw new StorageException("cannot read the replica's replay location", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
