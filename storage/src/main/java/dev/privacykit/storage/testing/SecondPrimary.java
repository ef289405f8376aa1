package dev.privacykit.storage.testing;

/**
 * A second PostgreSQL primary for tests: a base backup of the test PostgreSQL ({@link
 * TestDatabase#postgresUrl()}) started as a cluster of its own (no standby signal) on a free port
 * on 127.0.0.1, with the same database and user. Needs what {@link StreamingReplica} needs; {@link
 * #close()} stops it (idempotent) and deletes its directory.
 */
public final class SecondPrimary implements AutoCloseable {
  private final StreamingReplica cluster;

  private SecondPrimary(StreamingReplica cluster) {
    this.cluster = cluster;
  }

  /** Makes the copy, starts it and waits until it accepts writes. */
  public static SecondPrimary start() throws Exception {
    return new SecondPrimary(StreamingReplica.start(false));
  }

  /** The JDBC URL of the second primary (same database and user as the first). */
  public String url() {
    return cluster.url();
  }

  /** Stops it at once (as a crash would) and deletes its directory. */
  @Override
  public void close() {
    cluster.close();
  }
}
