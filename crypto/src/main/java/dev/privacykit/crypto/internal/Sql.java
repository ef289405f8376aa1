package dev.privacykit.crypto.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Small SQL helpers for the crypto tables. Not API. */
public final class Sql {
  private Sql() {}

  /** Now, truncated to what both databases store (microseconds), in UTC. */
  public static OffsetDateTime now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }

  /** Whether a failed statement was a unique-key violation (SQLSTATE 23505 on both dialects). */
  public static boolean isUniqueViolation(UnableToExecuteStatementException e) {
    return dev.privacykit.storage.spi.SqlFailures.isUniqueViolation(e);
  }
}
