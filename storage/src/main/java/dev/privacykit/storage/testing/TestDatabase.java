package dev.privacykit.storage.testing;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.StorageException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A migrated database that belongs to one test class, on one dialect. Closing it drops what it
 * created. Not thread-safe to close; the database itself is.
 */
public final class TestDatabase implements AutoCloseable {
  /** The PostgreSQL URL used when {@code PRIVACYKIT_TEST_POSTGRES_URL} is not set. */
  public static final String DEFAULT_POSTGRES_URL =
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private final Dialect dialect;
  private final String url;
  private final String schema;
  private final Database database;

  private TestDatabase(Dialect dialect, String url, String schema, Database database) {
    this.dialect = dialect;
    this.url = url;
    this.schema = schema;
    this.database = database;
  }

  /** Creates and migrates a fresh database for {@code owner} on {@code dialect}. */
  static TestDatabase create(Dialect dialect, Class<?> owner) {
    // At most 42 characters, the random part kept whole: views of it (Database.inSchema, such as
    // the audit log's shards) add suffixes of their own within PostgreSQL's 63.
    String owned = owner.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    String name =
        "pk_"
            + (owned.length() > 30 ? owned.substring(0, 30) : owned)
            + "_"
            + UUID.randomUUID().toString().substring(0, 8);
    if (dialect == Dialect.H2) {
      String url = Database.inMemoryUrl(name);
      Database database = Database.open(url);
      database.migrate();
      return new TestDatabase(dialect, url, null, database);
    }
    String url = postgresUrl();
    String schema = name;
    Database database = Database.open(url, config -> config.schema(schema));
    database.migrate();
    return new TestDatabase(dialect, url, schema, database);
  }

  /** The PostgreSQL URL tests use. */
  public static String postgresUrl() {
    String url = System.getenv("PRIVACYKIT_TEST_POSTGRES_URL");
    return url == null || url.isBlank() ? DEFAULT_POSTGRES_URL : url;
  }

  /** Whether PostgreSQL test cases must run (and so fail rather than skip when unreachable). */
  public static boolean postgresRequired() {
    return "true".equalsIgnoreCase(System.getenv("PRIVACYKIT_REQUIRE_POSTGRES"));
  }

  /** The JDBC URL of this database (a PostgreSQL case also needs {@link #schema()}). */
  public String url() {
    return url;
  }

  /** The PostgreSQL schema of this case, or null on H2. */
  public String schema() {
    return schema;
  }

  /** The migrated database. */
  public Database database() {
    return database;
  }

  /** Which dialect this case runs on. */
  public Dialect dialect() {
    return dialect;
  }

  /**
   * Opens a second, independent pool on the same database (and schema), as a second service process
   * would. The caller closes it.
   */
  public Database openAnother() {
    if (dialect == Dialect.H2) {
      return Database.open(url);
    }
    return Database.open(url, config -> config.schema(schema));
  }

  /**
   * A plain JDBC connection as the database owner (a superuser in the default PostgreSQL set-up),
   * for tests that must reach around the application's rules, such as tampering with the audit log.
   * The caller closes it.
   */
  public Connection ownerConnection() throws SQLException {
    Connection connection = DriverManager.getConnection(url);
    if (schema != null) {
      connection.setSchema(schema);
    }
    return connection;
  }

  @Override
  public void close() {
    try {
      if (schema != null) {
        try (Connection connection = DriverManager.getConnection(url);
            Statement statement = connection.createStatement()) {
          statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
          // and the schemas its views made (Database.inSchema): the name and a suffix
          List<String> views = new ArrayList<>();
          try (ResultSet rows =
              statement.executeQuery(
                  "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, '"
                      + schema
                      + "_')")) {
            while (rows.next()) {
              views.add(rows.getString(1));
            }
          }
          for (String view : views) {
            statement.execute("DROP SCHEMA IF EXISTS " + view + " CASCADE");
          }
        } catch (SQLException e) {
          throw new StorageException("cannot drop test schema " + schema, e);
        }
      }
    } finally {
      database.shutdownInMemory();
    }
  }
}
