package dev.privacykit.storage.internal;

import dev.privacykit.storage.Database;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;

/**
 * Builds the Jdbi that PrivacyKit modules use on a {@link Database}. Not API.
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
