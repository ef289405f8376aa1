package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.PUBLIC;
import static dev.privacykit.javalin.PrivacyPlugin.requires;

import dev.privacykit.consent.ConsentException;
import dev.privacykit.javalin.PrivacyPlugin;
import dev.privacykit.javalin.PrivacyPluginConfig;
import dev.privacykit.javalin.ProblemException;
import dev.privacykit.javalin.Problems;
import dev.privacykit.policies.PolicyException;
import dev.privacykit.server.DevIssuer;
import dev.privacykit.server.Installation;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.Services;
import dev.privacykit.server.Setting;
import dev.privacykit.storage.Database;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone PrivacyKit service: opens and migrates the database, opens the services, then
 * serves the {@code /v1} HTTP API until {@link #close()}. Thread-safe; {@code close()} may be
 * called from a shutdown hook.
 */
public final class PrivacyKitServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PrivacyKitServer.class);

  private final Database database;
  private final boolean ownsDatabase;
  private final Services services;
  private final Javalin app;
  private final ScheduledExecutorService scheduler;
  private final ManagementPort management;
  private final VerificationSchedule verification;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private PrivacyKitServer(
      Database database,
      boolean ownsDatabase,
      Services services,
      Javalin app,
      ScheduledExecutorService scheduler,
      ManagementPort management,
      VerificationSchedule verification) {
    this.database = database;
    this.verification = verification;
    this.management = management;
    this.ownsDatabase = ownsDatabase;
    this.services = services;
    this.app = app;
    this.scheduler = scheduler;
  }

  /**
   * Opens the configured database, migrates it and starts serving.
   *
   * @throws dev.privacykit.storage.StorageException if the database cannot be reached or migrated
   * @throws IllegalArgumentException naming the setting when the configuration cannot work
   */
  public static PrivacyKitServer start(ServerConfig config) {
    return start(config, server -> {});
  }

  /**
   * Like {@link #start(ServerConfig)}, handing the server to {@code onStarted} before it announces
   * in the log that it listens.
   */
  public static PrivacyKitServer start(ServerConfig config, Consumer<PrivacyKitServer> onStarted) {
    Services.requireProductionSettings(config);
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
    long startedNanos = System.nanoTime();
    database.migrate();
    long migratedNanos = System.nanoTime();
    Services services = Services.open(config, database);
    long servicesNanos = System.nanoTime();
    Installation installation = services.installation;
    log.info("installation {} (first started {})", installation.id(), installation.createdAt());
    if (config.audit().verifierKey() == null) {
      log.info(
          "audit checkpoint verifier key {} (pin it: audit.verifier_key / PRIVACYKIT_AUDIT_VERIFIER_KEY)",
          services.audit.verifierKey());
    }
    Metrics metrics = new Metrics(services);
    PrivacyPlugin privacy = new PrivacyPlugin(p -> plugin(p, config, services));
    Javalin app;
    ManagementPort management = null;
    try {
      app = Javalin.create(javalin -> configure(javalin, config, services, metrics, privacy));
      metrics.keys(privacy);
      app.start();
      if (config.managementPort() >= 0) {
        management = ManagementPort.start(config.managementPort(), metrics::text);
        log.info(
            "metrics on http://127.0.0.1:{}/metrics (loopback only, no token)",
            management.address().getPort());
      }
    } catch (RuntimeException e) {
      services.close();
      throw e;
    }
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "privacykit-scheduler");
              thread.setDaemon(true);
              return thread;
            });
    schedule(scheduler, config, services);
    int every = config.integer(Setting.AUDIT_VERIFY_EVERY_MINUTES);
    VerificationSchedule verification =
        every > 0 ? VerificationSchedule.start(services, Duration.ofMinutes(every)) : null;
    PrivacyKitServer server =
        new PrivacyKitServer(database, owns, services, app, scheduler, management, verification);
    onStarted.accept(server);
    if (!config.production()) {
      announceDevelopment(config);
    }
    long now = System.nanoTime();
    // Where start-up time goes, so a slow restart can be traced to its step.
    log.info(
        "started in {} ms: migrations {} ms, keys and services {} ms, HTTP {} ms",
        (now - startedNanos) / 1_000_000,
        (migratedNanos - startedNanos) / 1_000_000,
        (servicesNanos - migratedNanos) / 1_000_000,
        (now - servicesNanos) / 1_000_000);
    log.info("listening on http://{}:{}", config.host(), app.port());
    return server;
  }

  private static void configure(
      JavalinConfig javalin,
      ServerConfig config,
      Services services,
      Metrics metrics,
      PrivacyPlugin privacy) {
    javalin.startup.showJavalinBanner = false;
    javalin.jetty.host = config.host();
    javalin.jetty.port = config.port();
    javalin.registerPlugin(privacy);
    // Each request's audit entry names the subject in its path (after the plugin's guard).
    javalin.routes.beforeMatched(
        ctx -> PrivacyPlugin.auditSubject(ctx, ctx.pathParamMap().get("subject")));
    metrics.mount(javalin);
    HealthRoutes.mount(javalin, services.database, services.audits);
    // Metrics name routes and counts only, but still map the service: a token with metrics:read.
    javalin.routes.get("/metrics", metrics::scrape, requires(Scopes.METRICS_READ));
    javalin.routes.get("/openapi.yaml", OpenApi::serve, PUBLIC);
    ConsentRoutes.mount(javalin, services);
    NoticeRoutes.mount(javalin, services.policy);
    RequestRoutes.mount(javalin, services);
    MeRequestRoutes.mount(javalin, services);
    RetentionRoutes.mount(javalin, services);
    RecipientRoutes.mount(javalin, services);
    AuditRoutes.mount(javalin, services);
    ShardRoutes.mount(javalin, services);
    RecordsRoutes.mount(javalin, services);
    CryptoRoutes.mount(javalin, services);
    WebhookRoutes.mount(javalin, services);
    IncidentRoutes.mount(javalin, services);
    NominationRoutes.mount(javalin, services);
    GuardianRoutes.mount(javalin, services);
    ConsentManagerRoutes.mount(javalin, services);
    StatusRoutes.mount(javalin, services, privacy);
    ConsoleRoutes.mount(javalin);
    javalin.routes.exception(ConsentException.class, (e, ctx) -> Problems.write(ctx, problem(e)));
    javalin.routes.exception(
        PolicyException.class,
        (e, ctx) ->
            Problems.write(
                ctx, new ProblemException(400, "policy", "Policy refuses", e.getMessage())));
  }

  /**
   * A ledger or request failure as a problem: the one place where a consent failure's kind becomes
   * an HTTP status; its code is the problem type and its message (which names no person) the
   * detail.
   */
  static ProblemException problem(ConsentException e) {
    int status =
        switch (e.kind().category()) {
          case INVALID -> 400;
          case NOT_FOUND -> 404;
          case CONFLICT -> 409;
          case TOO_LARGE -> 413;
          case FORBIDDEN -> 403;
        };
    ProblemException problem =
        new ProblemException(status, e.code(), "Request refused", e.getMessage());
    return e.field() == null ? problem : problem.withPointer("/" + e.field());
  }

  private static void plugin(PrivacyPluginConfig privacy, ServerConfig config, Services services) {
    config.scopeRateLimits().forEach(privacy::rateLimitForScope);
    String[] audiences = config.list(Setting.AUDIENCE).toArray(String[]::new);
    String tenantClaim = config.get(Setting.TENANT_CLAIM);
    privacy.tokens(
        tokens -> {
          if (services.devIssuer != null) {
            tokens.issuer(
                DevIssuer.ISSUER, i -> i.jwks(services.devIssuer.jwks()).audience(audiences));
          }
          for (ServerConfig.TrustedIssuer trusted : config.trustedIssuers()) {
            tokens.issuer(
                trusted.issuer(),
                i -> {
                  i.audience(audiences).tenantClaim(tenantClaim);
                  if (trusted.tenants() != null) {
                    i.tenants(trusted.tenants().toArray(String[]::new));
                  }
                  if (trusted.jwksUrl() != null) {
                    i.jwksUrl(trusted.jwksUrl());
                  } else if (trusted.jwksFile() != null) {
                    i.jwksFile(trusted.jwksFile());
                  }
                });
          }
        });
    privacy
        .decisions(services.decisions)
        .audit(services.audits)
        .grant(Scopes.ADMIN, Scopes.ALL.toArray(String[]::new))
        .grant(Scopes.CONSENTS_WRITE, Scopes.CONSENTS_WRITE, Scopes.CONSENTS_READ)
        .rateLimits(config.integer(Setting.RATE_PER_IP), config.integer(Setting.RATE_PER_PRINCIPAL))
        .trustedProxies(config.list(Setting.TRUSTED_PROXIES).toArray(String[]::new))
        .cors(config.list(Setting.CORS_ORIGINS).toArray(String[]::new))
        .maxBodyBytes(8L * 1_048_576);
  }

  private static void schedule(
      ScheduledExecutorService scheduler, ServerConfig config, Services services) {
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            services.webhooks.startDue();
          } catch (RuntimeException e) {
            log.warn("webhook dispatch failed: {}", e.getClass().getSimpleName());
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            services.ledger.deliverPendingAudit(); // consent changes and request steps alike
          } catch (RuntimeException e) {
            log.warn("consent audit delivery failed: {}", e.getClass().getSimpleName());
          }
        },
        5,
        5,
        TimeUnit.SECONDS);
    IncidentSchedule.start(scheduler, config, services);
    RetentionSchedule.start(scheduler, config, services);
    int days = config.integer(Setting.AUDIT_RETENTION_DAYS);
    if (days > 0) {
      scheduler.scheduleWithFixedDelay(
          () -> {
            try {
              long pruned =
                  services.audits.prune(
                      Instant.now().minus(Duration.ofDays(days)), "privacykit-retention");
              if (pruned > 0) {
                log.info("audit retention: pruned {} entries older than {} days", pruned, days);
              }
            } catch (RuntimeException e) {
              log.warn("audit retention run failed: {}", e.getClass().getSimpleName());
            }
          },
          1,
          60,
          TimeUnit.MINUTES);
    }
  }

  private static void announceDevelopment(ServerConfig config) {
    log.warn("*************************************************************************");
    log.warn("DEVELOPMENT MODE: a local token issuer, a root key kept next to its");
    log.warn("passphrase in {}, and the GDPR starter pack unless a", config.dataDirectory());
    log.warn("policy file is set. Never use it for real personal data; set");
    log.warn("PRIVACYKIT_MODE=production with an issuer and a key source for that.");
    log.warn("Mint a development token with:");
    log.warn(
        "  java -jar server/target/privacykit.jar token mint --data-dir {} --tenant demo",
        config.dataDirectory());
    log.warn("*************************************************************************");
  }

  /** The port the server listens on. */
  public int port() {
    return app.port();
  }

  /** The loopback management port serving metrics, or -1 when there is none. */
  public int managementPort() {
    return management == null ? -1 : management.address().getPort();
  }

  public Services services() {
    return services;
  }

  /** Every HTTP route as {@code METHOD /path/{param}}, for the OpenAPI parity check. */
  java.util.Set<String> routes() {
    java.util.Set<String> routes = new java.util.TreeSet<>();
    for (var parsed : app.unsafe.internalRouter.allHttpHandlers()) {
      var method = parsed.endpoint.method;
      // The console's static files are pages, not API operations.
      if (method.isHttpMethod() && !parsed.endpoint.path.startsWith("/console")) {
        routes.add(method.name() + " " + parsed.endpoint.path);
      }
    }
    return routes;
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /**
   * Stops accepting requests and lets running ones finish, flushes the audit queue, then closes the
   * database.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      app.stop();
      if (management != null) {
        management.close();
      }
      scheduler.shutdownNow();
      if (verification != null) {
        verification.close();
      }
      services.close();
      if (ownsDatabase) {
        database.close();
      }
      log.info("stopped");
    } finally {
      stopped.countDown();
    }
  }
}
