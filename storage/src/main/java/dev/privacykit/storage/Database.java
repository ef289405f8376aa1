package dev.privacykit.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pooled connection to the database PrivacyKit stores its data in: embedded H2 (a file under a
 * data directory, nothing to install) or PostgreSQL 13+.
 *
 * <p>Open one per process and hand it to the services that store data ({@code SubjectKeys}, {@code
 * AuditLog}, {@code ConsentLedger}); call {@link #migrate()} once before use, which applies every
 * module's migrations found on the classpath (see {@link MigrationSource}).
 *
 * <pre>{@code
 * try (Database db = Database.embedded(Path.of("privacykit-data"))) {
 *   db.migrate();
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. Error messages name the database by its redacted URL: no credentials, no bound
 * values.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);
  private static final String EMBEDDED_OPTIONS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
  // A commit is written to the file before it returns, so an acknowledged audit entry survives a
  // killed process. H2 does not close the file from its own shutdown hook: that would race the
  // application's graceful shutdown (the audit queue's last batch and checkpoint); close() does.
  private static final String FILE_OPTIONS = ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";

  private final HikariDataSource pool;
  private final Dialect dialect;
  private final String location;
  private final String schema;
  private volatile boolean migrated;

  /** Readiness answers within this, whatever the pool's connection timeout. */
  private static final long READY_WITHIN_MILLIS = 800;

  private static final java.util.concurrent.ExecutorService READINESS =
      java.util.concurrent.Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "privacykit-readiness");
            thread.setDaemon(true);
            return thread;
          });

  private java.util.concurrent.Future<Boolean> readyProbe;

  private Database(HikariDataSource pool, Dialect dialect, String location, String schema) {
    this.pool = pool;
    this.dialect = dialect;
    this.location = location;
    this.schema = schema;
  }

  /**
   * Opens a pool to the database at {@code jdbcUrl} ({@code jdbc:postgresql:...} or {@code
   * jdbc:h2:...}) with default settings, and checks that it answers.
   *
   * @throws StorageException if the URL is not supported or the database does not answer
   */
  public static Database open(String jdbcUrl) {
    return open(jdbcUrl, config -> {});
  }

  /**
   * Opens a pool to the database at {@code jdbcUrl} with the given settings, and checks that it
   * answers.
   *
   * @throws StorageException if the URL is not supported or the database does not answer
   */
  public static Database open(String jdbcUrl, Consumer<DatabaseConfig> configure) {
    Dialect dialect = Dialect.of(jdbcUrl);
    DatabaseConfig config = new DatabaseConfig();
    configure.accept(config);
    String location = JdbcUrls.redact(jdbcUrl);
    if (config.schema != null) {
      createSchema(jdbcUrl, config, location);
    }
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(jdbcUrl);
    hikari.setPoolName("privacykit");
    hikari.setMaximumPoolSize(config.maximumPoolSize);
    hikari.setMinimumIdle(Math.min(2, config.maximumPoolSize));
    hikari.setConnectionTimeout(config.connectionTimeout.toMillis());
    hikari.setInitializationFailTimeout(config.connectionTimeout.toMillis());
    if (config.schema != null) {
      hikari.setSchema(config.schema);
    }
    if (dialect == Dialect.POSTGRESQL) {
      // Batched INSERTs (the audit writer's) go as multi-row statements: a fraction of the server's
      // work per row. A value in the URL wins over this default.
      hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
    }
    try {
      return new Database(new HikariDataSource(hikari), dialect, location, config.schema);
    } catch (HikariPool.PoolInitializationException | IllegalArgumentException e) {
      throw new StorageException(
          "cannot connect to the database at " + location + ": " + rootMessage(e), e);
    }
  }

  /**
   * Opens the embedded H2 database stored in {@code dataDirectory} (created if missing). A second
   * open of the same directory finds the data the first one left.
   */
  public static Database embedded(Path dataDirectory) {
    try {
      Files.createDirectories(dataDirectory);
    } catch (java.io.IOException e) {
      throw new StorageException(
          "cannot create the data directory " + dataDirectory + ": " + e.getMessage(), e);
    }
    return open(embeddedUrl(dataDirectory));
  }

  /** The JDBC URL of the embedded H2 database in {@code dataDirectory}. */
  public static String embeddedUrl(Path dataDirectory) {
    Path file = dataDirectory.toAbsolutePath().normalize().resolve("privacykit");
    return "jdbc:h2:file:" + file + EMBEDDED_OPTIONS + FILE_OPTIONS;
  }

  /** The JDBC URL of a private in-memory H2 database, for tests and throwaway tools. */
  public static String inMemoryUrl(String name) {
    return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE" + EMBEDDED_OPTIONS;
  }

  /** Which database this is, and so where it differs from the other. */
  public Dialect dialect() {
    return dialect;
  }

  /** The pooled data source; connections must be closed by the caller. */
  public DataSource dataSource() {
    return pool;
  }

  /**
   * The same database in another schema (created if missing), with a small pool of its own (up to 4
   * connections: {@link #inSchema(String, int)}), whose every connection stays in that schema.
   * Migrate it with {@link #migrate(java.util.Set)}; close it when done (this database stays open).
   * The audit log's shards live in such views: several independent sets of the same tables, none
   * waiting for another's connections, and each connection's prepared statements planned for one
   * schema only.
   *
   * @throws IllegalArgumentException if the name is not 1 to 63 of {@code [a-z0-9_]}
   */
  public Database inSchema(String schema) {
    return inSchema(schema, Math.min(4, pool.getMaximumPoolSize()));
  }

  /**
   * {@link #inSchema(String)} with a pool of up to {@code maximumPoolSize} connections (1 to 200).
   *
   * @throws IllegalArgumentException if the name or size is out of range
   */
  public Database inSchema(String schema, int maximumPoolSize) {
    new DatabaseConfig().schema(schema).maximumPoolSize(maximumPoolSize); // the same rules
    try (Connection connection = pool.getConnection()) {
      ensureSchema(connection, schema);
    } catch (SQLException e) {
      throw new StorageException(
          "cannot create schema " + schema + " on " + location + ": " + rootMessage(e), e);
    }
    HikariConfig hikari = new HikariConfig();
    pool.copyStateTo(hikari);
    hikari.setPoolName("privacykit-" + schema);
    hikari.setSchema(schema);
    hikari.setMaximumPoolSize(maximumPoolSize);
    hikari.setMinimumIdle(1);
    try {
      return new Database(new HikariDataSource(hikari), dialect, location, schema);
    } catch (HikariPool.PoolInitializationException | IllegalArgumentException e) {
      throw new StorageException(
          "cannot connect to the database at " + location + ": " + rootMessage(e), e);
    }
  }

  /** The schema this database's connections use, or null for the connection's default. */
  public String schema() {
    return schema;
  }

  /** The database's URL without credentials or parameters, safe to log. */
  public String location() {
    return location;
  }

  /**
   * Applies the migrations of every module on the classpath, in module order; safe to call from
   * several processes at once (PostgreSQL takes Flyway's advisory lock) and again after a restart.
   *
   * @return the modules whose migrations were checked, in the order they ran
   * @throws StorageException naming the module whose migration failed
   */
  public List<String> migrate() {
    return migrate((java.util.Set<String>) null);
  }

  /**
   * Applies the migrations of the named modules only (each a {@link MigrationSource#module()}), in
   * module order; {@code null} for every module on the classpath.
   *
   * @return the modules whose migrations were checked, in the order they ran
   * @throws StorageException naming the module whose migration failed
   */
  public List<String> migrate(java.util.Set<String> only) {
    List<MigrationSource> sources = new ArrayList<>();
    ServiceLoader.load(MigrationSource.class, classLoader())
        .forEach(
            source -> {
              if (only == null || only.contains(source.module())) {
                sources.add(source);
              }
            });
    sources.sort(
        Comparator.comparingInt(MigrationSource::order).thenComparing(MigrationSource::module));
    List<String> modules = new ArrayList<>();
    for (MigrationSource source : sources) {
      migrate(source);
      modules.add(source.module());
    }
    migrated = true;
    log.info("database {} migrated: {}", location, modules);
    return List.copyOf(modules);
  }

  private void migrate(MigrationSource source) {
    if (!source.module().matches("[a-z][a-z0-9_]{0,40}")) {
      throw new StorageException("invalid migration module name: " + source.module());
    }
    var flyway =
        Flyway.configure(classLoader())
            .dataSource(pool)
            .table("flyway_history_" + source.module())
            .locations(
                "classpath:" + source.root() + "/common",
                "classpath:" + source.root() + "/" + dialect.migrationFolder())
            // Each module has its own history table in a shared schema; baseline at 0 so a schema
            // that already holds another module's tables is accepted and every V1+ still runs.
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .failOnMissingLocations(false)
            .validateMigrationNaming(true);
    if (schema != null) {
      flyway.schemas(schema).defaultSchema(schema);
    }
    try {
      flyway.load().migrate();
    } catch (FlywayException e) {
      throw new StorageException(
          "migration of module "
              + source.module()
              + " failed on "
              + location
              + ": "
              + firstLine(e.getMessage()),
          e);
    }
  }

  /** Whether {@link #migrate()} has completed in this process. */
  public boolean isMigrated() {
    return migrated;
  }

  /**
   * Whether migrations have been applied and the database answers: within 0.8 s, whatever the
   * pool's connection timeout, so a readiness probe learns of an outage at once.
   */
  public boolean isReady() {
    if (!migrated || pool.isClosed()) {
      return false;
    }
    java.util.concurrent.Future<Boolean> probe;
    synchronized (this) {
      // One probe at a time: callers while it runs share its answer.
      if (readyProbe == null || readyProbe.isDone()) {
        readyProbe = READINESS.submit(this::probeReady);
      }
      probe = readyProbe;
    }
    try {
      return probe.get(READY_WITHIN_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return false; // the pool is still waiting for a connection: not ready
    } catch (java.util.concurrent.ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean probeReady() {
    try (Connection connection = pool.getConnection()) {
      return connection.isValid(1);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Closes the pool. An embedded H2 file database closes with its last connection; an in-memory one
   * opened with {@link #inMemoryUrl(String)} lives until {@link #shutdownInMemory()}.
   */
  @Override
  public void close() {
    pool.close();
  }

  /**
   * Shuts an in-memory H2 database down for every pool that shares it, then closes this pool. Does
   * nothing more than {@link #close()} on other databases.
   */
  public void shutdownInMemory() {
    if (dialect == Dialect.H2 && location.startsWith("jdbc:h2:mem:") && !pool.isClosed()) {
      try (Connection connection = pool.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("SHUTDOWN");
      } catch (SQLException e) {
        log.warn("in-memory database {} did not shut down: {}", location, e.getMessage());
      }
    }
    close();
  }

  private static void createSchema(String jdbcUrl, DatabaseConfig config, String location) {
    DriverManager.setLoginTimeout((int) Math.max(1, config.connectionTimeout.toSeconds()));
    try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
      ensureSchema(connection, config.schema);
    } catch (SQLException e) {
      throw new StorageException(
          "cannot connect to the database at " + location + ": " + rootMessage(e), e);
    }
  }

  /**
   * Creates {@code schema} unless it exists: an application role that may not create schemas opens
   * one its owner made and migrated.
   */
  private static void ensureSchema(Connection connection, String schema) throws SQLException {
    if (schemaExists(connection, schema)) {
      return;
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    } catch (SQLException e) {
      // Processes starting together race to create it; PostgreSQL's IF NOT EXISTS can still fail
      // with a unique violation for the loser. The schema being there is all that matters.
      if (!connection.getAutoCommit()) {
        connection.rollback();
      }
      if (!schemaExists(connection, schema)) {
        throw e;
      }
    }
  }

  private static boolean schemaExists(Connection connection, String schema) throws SQLException {
    try (java.sql.ResultSet existing = connection.getMetaData().getSchemas(null, schema)) {
      return existing.next();
    }
  }

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : Database.class.getClassLoader();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : firstLine(message);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    String trimmed = message.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
  }
}
