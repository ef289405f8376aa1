package dev.privacykit.consent.server;

import dev.privacykit.storage.Database;
import io.javalin.Javalin;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone PrivacyKit service: opens and migrates the database, then serves HTTP until {@link
 * #close()}. Thread-safe; {@code close()} may be called from a shutdown hook.
 */
public final class PrivacyKitServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PrivacyKitServer.class);

  private final Database database;
  private final boolean ownsDatabase;
  private final Javalin app;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private PrivacyKitServer(Database database, boolean ownsDatabase, Javalin app) {
    this.database = database;
    this.ownsDatabase = ownsDatabase;
    this.app = app;
  }

  /**
   * Opens the configured database, migrates it and starts serving.
   *
   * @throws dev.privacykit.storage.StorageException if the database cannot be reached or migrated
   */
  public static PrivacyKitServer start(ServerConfig config) {
    return start(config, server -> {});
  }

  /**
   * Like {@link #start(ServerConfig)}, handing the server to {@code onStarted} before it announces
   * in the log that it listens.
   */
  static PrivacyKitServer start(ServerConfig config, Consumer<PrivacyKitServer> onStarted) {
    Database database = config.openDatabase();
    try {
      return start(config, database, true, onStarted);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /** Starts serving on an already open database, which the caller closes after this server. */
  public static PrivacyKitServer start(ServerConfig config, Database database) {
    return start(config, database, false, server -> {});
  }

  private static PrivacyKitServer start(
      ServerConfig config, Database database, boolean owns, Consumer<PrivacyKitServer> onStarted) {
    if (config.embedded()) {
      log.info("data directory: {}", config.dataDirectory());
    }
    log.info("database: {} ({})", database.location(), database.dialect());
    database.migrate();
    Installation installation = Installation.ensure(database);
    log.info("installation {} (first started {})", installation.id(), installation.createdAt());
    Javalin app =
        Javalin.create(
            javalin -> {
              javalin.startup.showJavalinBanner = false;
              javalin.jetty.host = config.host();
              javalin.jetty.port = config.port();
              HealthRoutes.mount(javalin, database);
            });
    app.start();
    PrivacyKitServer server = new PrivacyKitServer(database, owns, app);
    onStarted.accept(server);
    log.info("listening on http://{}:{}", config.host(), app.port());
    return server;
  }

  /** The port the server listens on. */
  public int port() {
    return app.port();
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** Stops accepting requests, lets running ones finish, then closes the database. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      app.stop();
      if (ownsDatabase) {
        database.close();
      }
      log.info("stopped");
    } finally {
      stopped.countDown();
    }
  }
}
