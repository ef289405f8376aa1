package dev.privacykit.server;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.ReplicaCatchUp;
import dev.privacykit.storage.StorageException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code database.replica_url}: a PostgreSQL streaming replica of the service's database, which
 * serves the audit log's listings and reports once it has replayed the primary's WAL position taken
 * at each read ({@link dev.privacykit.audit.AuditLogConfig#readReplica}).
 */
final class ReplicaSettings {
  private static final Logger log = LoggerFactory.getLogger(ReplicaSettings.class);

  /** How long an audit read waits for the replica to catch up before it reads the primary. */
  static final Duration READ_WAIT = Duration.ofMillis(100);

  private ReplicaSettings() {}

  /**
   * Opens the replica in the primary's schema, or returns null when none is set or it cannot be
   * reached now (reads then go to the primary, with a warning).
   *
   * @throws IllegalArgumentException naming the setting when the replica or the primary is not
   *     PostgreSQL
   */
  static Database open(ServerConfig config, Database primary) {
    String url = config.get(Setting.DATABASE_REPLICA_URL);
    if (url.isBlank()) {
      return null;
    }
    if (!url.startsWith("jdbc:postgresql:") || primary.dialect() != Dialect.POSTGRESQL) {
      throw new IllegalArgumentException(
          Setting.DATABASE_REPLICA_URL.label()
              + " must be a PostgreSQL streaming replica of a PostgreSQL "
              + Setting.DATABASE_URL.label());
    }
    try {
      // The schema and its tables were made on the primary: let the replica replay them first.
      String lsn = ReplicaCatchUp.primaryLsn(primary.dataSource());
      try (Database plain = Database.open(url, c -> c.maximumPoolSize(1))) {
        if (!ReplicaCatchUp.waitFor(lsn, plain.dataSource(), Duration.ofSeconds(30))) {
          log.warn("the read replica is more than 30 s behind; audit reads use it once caught up");
        }
      }
      return Database.open(
          url,
          c -> {
            c.maximumPoolSize(4).connectionTimeout(Duration.ofSeconds(1));
            if (primary.schema() != null) {
              c.schema(primary.schema());
            }
          });
    } catch (StorageException e) {
      log.warn(
          "the read replica cannot be used ({}); audit reads go to the primary", e.getMessage());
      return null;
    }
  }
}
