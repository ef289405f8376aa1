package dev.privacykit.server.http;

import dev.privacykit.javalin.KeySetHealth;
import dev.privacykit.javalin.PrivacyPlugin;
import dev.privacykit.javalin.Problems;
import dev.privacykit.server.Services;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * Prometheus metrics through Micrometer: request latency per route template (never the raw path,
 * which may hold a subject) with histogram buckets for SLO panels, JVM and process figures, audit
 * queue depth and batch size, the consent cache's hits and misses, each trusted issuer's key
 * health, rate-limit refusals, and the privacy state ({@link PrivacyGauges}). Served as text at
 * {@code /metrics}; {@code deploy/grafana} and {@code deploy/prometheus} read these names.
 */
final class Metrics {
  private static final String STARTED = "privacykit.metrics.started";
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** Timers by method, status and route template: a bounded set, looked up once each. */
  private final java.util.concurrent.ConcurrentHashMap<String, Timer> timers =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Latency buckets: the SLO is 250 ms; the rest show the shape around it. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5)
  };

  private final PrivacyGauges privacy;

  Metrics(Services services) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    this.privacy = new PrivacyGauges(services, registry);
    FunctionCounter.builder(
            "privacykit_audit_publication_failures",
            services.audits.anchor(),
            a -> a.publication().failures())
        .description("failed attempts to publish a checkpoint to a witness")
        .register(registry);
    Gauge.builder(
            "privacykit_audit_divergence",
            services.audits.anchor(),
            a -> a.publication().divergence().isPresent() ? 1 : 0)
        .description("1 when a witness revealed a rollback or fork of the log's database")
        .register(registry);
    for (int source = 0; source < 2; source++) {
      int index = source;
      FunctionCounter.builder(
              "privacykit_audit_replica_reads", services.audits, a -> a.replicaReads()[index])
          .tag("source", source == 0 ? "replica" : "primary")
          .description(
              "audit listings and reports read from the read replica (caught up) or, while one is"
                  + " configured, from the primary")
          .register(registry);
    }
    Gauge.builder("privacykit_audit_queue_capacity", services.audits, a -> a.queueCapacity())
        .description("audit entries that may wait to be committed")
        .register(registry);
    Gauge.builder("privacykit_audit_queue_depth", services.audits, a -> a.queueDepth())
        .description("audit entries waiting to be committed")
        .register(registry);
    Gauge.builder("privacykit_audit_last_batch_size", services.audits, a -> a.lastBatchSize())
        .description("entries in the audit writer's last committed batch")
        .register(registry);
    Gauge.builder("privacykit_audit_entries", services.audits, a -> a.size())
        .description("entries in the audit log (every shard)")
        .register(registry);
    FunctionCounter.builder(
            "privacykit_consent_cache_hits", services.ledger, l -> l.lookupStats()[0])
        .description("consent lookups answered from the cache")
        .register(registry);
    FunctionCounter.builder(
            "privacykit_consent_cache_misses", services.ledger, l -> l.lookupStats()[1])
        .description("consent lookups that went to the database")
        .register(registry);
  }

  /**
   * Gauges for each trusted issuer's keys and the rate limits' refusals; call once the plugin has
   * been initialised.
   */
  void keys(PrivacyPlugin plugin) {
    FunctionCounter.builder(
            "privacykit_rate_limit_refusals", plugin, PrivacyPlugin::rateLimitRefusals)
        .description("requests refused with 429 by the per-IP, per-token and per-scope limits")
        .register(registry);
    for (KeySetHealth initial : plugin.keysHealth()) {
      String issuer = initial.issuer();
      Gauge.builder("privacykit_jwks_healthy", plugin, p -> health(p, issuer).healthy() ? 1 : 0)
          .description("1 while the issuer's keys are usable (last JWKS fetch succeeded)")
          .tag("issuer", issuer)
          .register(registry);
      FunctionCounter.builder(
              "privacykit_jwks_fetch_failures", plugin, p -> health(p, issuer).failures())
          .description("failed fetches of the issuer's JWKS URL (cached keys stay in use)")
          .tag("issuer", issuer)
          .register(registry);
      Gauge.builder("privacykit_jwks_last_fetch_age_seconds", plugin, p -> fetchAge(p, issuer))
          .description("seconds since the issuer's JWKS URL was last fetched (NaN: never)")
          .tag("issuer", issuer)
          .register(registry);
    }
  }

  private static KeySetHealth health(PrivacyPlugin plugin, String issuer) {
    return plugin.keysHealth().stream()
        .filter(h -> h.issuer().equals(issuer))
        .findFirst()
        .orElseThrow();
  }

  private static double fetchAge(PrivacyPlugin plugin, String issuer) {
    java.time.Instant last = health(plugin, issuer).lastFetch();
    return last == null
        ? Double.NaN
        : java.time.Duration.between(last, java.time.Instant.now()).toMillis() / 1000.0;
  }

  void mount(JavalinConfig config) {
    config.routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
    config.routes.after(this::record);
  }

  private void record(Context ctx) {
    Long started = ctx.attribute(STARTED);
    if (started == null) {
      return;
    }
    String route = Problems.routeTemplate(ctx);
    String method = ctx.method().name();
    String status = Integer.toString(ctx.statusCode());
    timers
        .computeIfAbsent(
            method + ' ' + status + ' ' + route,
            key ->
                Timer.builder("privacykit_http_requests")
                    .description("HTTP requests by route template")
                    .tag("method", method)
                    .tag("route", route)
                    .tag("status", status)
                    .publishPercentileHistogram(false)
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry))
        .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  void scrape(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(text());
  }

  /** The Prometheus text of every metric. */
  String text() {
    privacy.refreshIfStale();
    return registry.scrape();
  }
}
