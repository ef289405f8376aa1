package dev.privacykit.storage;

import java.time.Duration;

/**
 * Settings for {@link Database#open(String, java.util.function.Consumer)}. A mutable setup object:
 * values are checked when set; {@code Database} copies them when it opens.
 */
public final class DatabaseConfig {
  int maximumPoolSize = 10;
  Duration connectionTimeout = Duration.ofSeconds(5);
  String schema;

  DatabaseConfig() {}

  /** The largest number of pooled connections (1 to 200); 10 by default. */
  public DatabaseConfig maximumPoolSize(int size) {
    if (size < 1 || size > 200) {
      throw new IllegalArgumentException("maximumPoolSize must be 1 to 200, was " + size);
    }
    this.maximumPoolSize = size;
    return this;
  }

  /** How long to wait for a connection, and for the database to answer at start (1 s to 5 min). */
  public DatabaseConfig connectionTimeout(Duration timeout) {
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0
        || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("connectionTimeout must be 1 s to 5 min, was " + timeout);
    }
    this.connectionTimeout = timeout;
    return this;
  }

  /**
   * The schema every connection uses; created by {@link Database#migrate()} if missing. Unset by
   * default: the connection's own default ({@code public}).
   */
  public DatabaseConfig schema(String schema) {
    if (schema == null || !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException(
          "schema must be 1 to 63 lower-case letters, digits or '_', starting with a letter or '_'");
    }
    this.schema = schema;
    return this;
  }
}
