package dev.privacykit.storage.spi;

import java.sql.SQLException;

/** What a failed statement means, the same on H2 and PostgreSQL. Stateless. */
public final class SqlFailures {
  private SqlFailures() {}

  /**
   * Whether {@code failure} (or a cause of it) is a unique-key violation (SQLSTATE 23505 on both
   * dialects): another writer inserted the same key first.
   */
  public static boolean isUniqueViolation(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
