package dev.privacykit.server;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The identity of one PrivacyKit installation: made on the first start against a database, found
 * again on every later one, so the log can show that a restart reused the data.
 */
public record Installation(String id, Instant createdAt) {

  /** Returns this database's installation, creating it on first use. */
  public static Installation ensure(Database database) {
    return Jdbis.of(database)
        .inTransaction(
            handle -> {
              handle
                  .createUpdate(
                      "INSERT INTO installation (id, created_at) SELECT :id, :at"
                          + " WHERE NOT EXISTS (SELECT 1 FROM installation)")
                  .bind("id", UUID.randomUUID().toString())
                  .bind("at", Instant.now().truncatedTo(ChronoUnit.MILLIS))
                  .execute();
              return handle
                  .createQuery("SELECT id, created_at FROM installation")
                  .map(
                      (rs, ctx) ->
                          new Installation(
                              rs.getString("id"),
                              rs.getObject("created_at", java.time.OffsetDateTime.class)
                                  .toInstant()))
                  .one();
            });
  }
}
