package dev.privacykit.storage;

import java.util.Locale;

/**
 * The SQL databases PrivacyKit stores data in, and every place where they differ.
 *
 * <p>Modules write portable SQL (H2 runs in PostgreSQL mode) and ask the dialect only for what
 * cannot be portable: where dialect-specific migrations live (triggers), whether the database can
 * notify other processes of a change (LISTEN/NOTIFY), and how a row is locked.
 */
public enum Dialect {
  /** Embedded H2 2.x in PostgreSQL compatibility mode: the zero-install default. */
  H2("h2", false),
  /** PostgreSQL 13 or later: production, and several service instances sharing one database. */
  POSTGRESQL("postgresql", true);

  private final String folder;
  private final boolean crossProcessNotify;

  Dialect(String folder, boolean crossProcessNotify) {
    this.folder = folder;
    this.crossProcessNotify = crossProcessNotify;
  }

  /**
   * Returns the dialect of a JDBC URL.
   *
   * @throws StorageException if the URL is not an H2 or PostgreSQL JDBC URL
   */
  public static Dialect of(String jdbcUrl) {
    String url = jdbcUrl == null ? "" : jdbcUrl.trim().toLowerCase(Locale.ROOT);
    if (url.startsWith("jdbc:h2:")) {
      return H2;
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new StorageException(
        "unsupported JDBC URL "
            + JdbcUrls.redact(jdbcUrl)
            + ": expected one starting with jdbc:postgresql: or jdbc:h2:");
  }

  /**
   * The folder name under a module's migration root that holds this dialect's own migrations
   * (triggers and functions that the other dialect writes differently).
   */
  public String migrationFolder() {
    return folder;
  }

  /**
   * Whether other processes can be told of a change through the database (PostgreSQL
   * LISTEN/NOTIFY). Where this is false, only one process uses the database (H2 holds a file lock)
   * and in-process notification is enough.
   */
  public boolean supportsCrossProcessNotify() {
    return crossProcessNotify;
  }

  /**
   * The clause that locks the rows a SELECT returns until the transaction ends. Both dialects spell
   * it the same; it is here so that callers never assume so.
   */
  public String lockRowsClause() {
    return "FOR UPDATE";
  }
}
