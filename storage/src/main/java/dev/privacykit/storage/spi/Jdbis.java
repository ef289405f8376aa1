package dev.privacykit.storage.spi;

import dev.privacykit.storage.Database;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;

/**
 * The extension point through which PrivacyKit's storing modules (crypto, audit-log, consent) reach
 * Jdbi on a {@link Database}. It is the only place Jdbi is configured, so every module gets the
 * same safe settings. A service-provider interface for PrivacyKit's own modules, not application
 * API: its signature names Jdbi, and it may change with Jdbi.
 *
 * <p>Statement exception messages render no SQL and no bound values: bound values are personal data
 * and ciphertexts, and exception messages end up in logs.
 */
public final class Jdbis {
  private Jdbis() {}

  /** A Jdbi on the database's pool, configured so that its exceptions carry no bound values. */
  public static Jdbi of(Database database) {
    Jdbi jdbi = Jdbi.create(database.dataSource());
    jdbi.getConfig(StatementExceptions.class)
        .setMessageRendering(StatementExceptions.MessageRendering.NONE);
    return jdbi;
  }
}
