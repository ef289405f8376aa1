package dev.privacykit.consent.server;

import dev.privacykit.storage.Database;
import java.nio.file.Path;

/**
 * How the standalone service runs: where it listens and where its data lives.
 *
 * @param host the address to bind; {@code 127.0.0.1} unless set
 * @param port the TCP port; 0 picks a free one
 * @param dataDirectory where the embedded database and local keys live
 * @param databaseUrl a JDBC URL, or null for the embedded H2 database in {@code dataDirectory}
 */
public record ServerConfig(String host, int port, Path dataDirectory, String databaseUrl) {

  /** Checks the values. */
  public ServerConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    dataDirectory = dataDirectory.toAbsolutePath().normalize();
    databaseUrl = databaseUrl == null || databaseUrl.isBlank() ? null : databaseUrl.strip();
  }

  /** Whether the data lives in the embedded database rather than an external one. */
  public boolean embedded() {
    return databaseUrl == null;
  }

  /** Opens the configured database (not yet migrated). */
  Database openDatabase() {
    return embedded() ? Database.embedded(dataDirectory) : Database.open(databaseUrl);
  }
}
