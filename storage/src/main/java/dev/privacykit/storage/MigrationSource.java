package dev.privacykit.storage;

/**
 * A module's contribution to the database schema, found with {@link java.util.ServiceLoader}.
 *
 * <p>Each module owns its tables and migrates them with its own Flyway history table, so modules
 * number their versions independently. Migrations live at {@code db/privacykit/<module>/common}
 * (portable SQL, run on both dialects) and {@code db/privacykit/<module>/<dialect>} (for example
 * triggers), see {@link Dialect#migrationFolder()}. Register an implementation in {@code
 * META-INF/services/dev.privacykit.storage.MigrationSource}.
 */
public interface MigrationSource {

  /** The module name: lower case letters, digits and underscores, unique on the classpath. */
  String module();

  /**
   * Where this module comes in the migration order: lower first. Modules whose tables others read
   * come first (crypto 100, audit-log 200, consent 300).
   */
  int order();

  /** The classpath root of this module's migrations. */
  default String root() {
    return "db/privacykit/" + module();
  }
}
