package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static dev.privacykit.server.http.ConsentRoutes.tenant;
import static dev.privacykit.server.http.Json.object;

import dev.privacykit.audit.AuditPublication;
import dev.privacykit.audit.Checkpoint;
import dev.privacykit.audit.VerificationRun;
import dev.privacykit.consent.ConsentFigures;
import dev.privacykit.consent.DataSubjectRequest;
import dev.privacykit.javalin.KeySetHealth;
import dev.privacykit.javalin.PrivacyPlugin;
import dev.privacykit.javalin.ProblemException;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.Services;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The figures at a glance that the console's tiles and charts read: {@code /v1/status} (open and
 * overdue requests, withdrawals, the last verification, the latest checkpoint, failing webhooks,
 * issuer keys, the audit queue) and {@code /v1/consents/stats} (decisions per purpose and day), and
 * {@code /v1/audit/verification} (the last recorded run). Counts only: no subject leaves here, so
 * no audit entry is owed.
 */
final class StatusRoutes {
  private static final List<Integer> RANGES = List.of(7, 30, 90);
  private static final Duration SOON = Duration.ofDays(7);

  private final Services services;
  private final Supplier<List<KeySetHealth>> keys;

  private StatusRoutes(Services services, Supplier<List<KeySetHealth>> keys) {
    this.services = services;
    this.keys = keys;
  }

  static void mount(JavalinConfig config, Services services, PrivacyPlugin plugin) {
    StatusRoutes routes = new StatusRoutes(services, plugin::keysHealth);
    config.routes.get("/v1/status", routes::status, requires(Scopes.AUDIT_READ));
    config.routes.get("/v1/consents/stats", routes::stats, requires(Scopes.CONSENTS_READ));
    config.routes.get(
        "/v1/audit/verification", routes::lastVerification, requires(Scopes.AUDIT_READ));
  }

  private void status(Context ctx) {
    String tenant = tenant(ctx);
    Instant now = Instant.now();
    List<DataSubjectRequest> open = services.requests.unclosed(tenant);
    long overdue = open.stream().filter(r -> r.isOverdue(now)).count();
    long soon =
        open.stream().filter(r -> !r.isOverdue(now) && !r.dueAt().isAfter(now.plus(SOON))).count();
    List<KeySetHealth> issuers = keys.get();
    Json.write(
        ctx,
        200,
        object(
            "generated_at", now,
            "requests", object("open", open.size(), "overdue", overdue, "due_within_7_days", soon),
            "withdrawals_24h",
                services.figures.withdrawalsSince(tenant, now.minus(Duration.ofHours(24))),
            "verification", services.audits.lastVerification().map(StatusRoutes::run).orElse(null),
            "checkpoint",
                services
                    .audits
                    .anchor()
                    .latestCheckpoint()
                    .map(c -> checkpoint(c, now))
                    .orElse(null),
            "webhooks", object("failing", services.figures.failingDeliveries(tenant)),
            "issuer_keys",
                object(
                    "healthy", issuers.stream().allMatch(KeySetHealth::healthy),
                    "issuers", issuers.size()),
            "audit_queue",
                object(
                    "depth", services.audits.queueDepth(),
                    "capacity", services.audits.queueCapacity()),
            "publication", publication()));
  }

  private Map<String, Object> checkpoint(Checkpoint checkpoint, Instant now) {
    Instant signedAt = services.audits.anchor().checkpointSignedAt(checkpoint.size()).orElse(now);
    return object(
        "size", checkpoint.size(),
        "signed_at", signedAt,
        "age_seconds", Math.max(0, Duration.between(signedAt, now).getSeconds()));
  }

  /** Where the log stands with its witnesses: null when none is configured. */
  private Map<String, Object> publication() {
    AuditPublication publication = services.audits.anchor().publication();
    if (!publication.enabled()) {
      return null;
    }
    var published = publication.published();
    return object(
        "quorum", publication.quorum(),
        "published_size", published.map(p -> p.size()).orElse(null),
        "published_at", published.map(p -> p.at()).orElse(null),
        "divergence",
            publication
                .divergence()
                .map(f -> f.kind().name().toLowerCase(Locale.ROOT))
                .orElse(null),
        "witnesses",
            Json.list(
                publication.witnesses(),
                w ->
                    object(
                        "name", w.name(),
                        "cosigned_size", w.cosignedSize() < 0 ? null : w.cosignedSize(),
                        "failures", w.failures(),
                        "last_error", w.lastError())));
  }

  static Map<String, Object> run(VerificationRun run) {
    return object(
        "ok", run.ok(),
        "verified_at", run.verifiedAt(),
        "size", run.entries(),
        "failure", run.failure().map(k -> k.name().toLowerCase(Locale.ROOT)).orElse(null),
        "incremental", run.incremental());
  }

  private void lastVerification(Context ctx) {
    VerificationRun run =
        services
            .audits
            .lastVerification()
            .orElseThrow(
                () ->
                    new ProblemException(
                        404,
                        "not-found",
                        "Not found",
                        "the log has not been verified yet: POST /v1/audit/verify"));
    Json.write(ctx, 200, run(run));
  }

  private void stats(Context ctx) {
    int days = (int) Fields.queryLong(ctx, "days", 1, 90, 30);
    if (!RANGES.contains(days)) {
      throw ProblemException.invalid("?days", "must be 7, 30 or 90");
    }
    LocalDate to = LocalDate.now(ZoneOffset.UTC);
    LocalDate from = to.minusDays(days - 1L);
    List<ConsentFigures.PurposeSeries> series =
        services.figures.series(tenant(ctx), from, to, services.policy.purposes().keySet());
    Json.write(
        ctx,
        200,
        object(
            "from", from.toString(),
            "to", to.toString(),
            "days", days,
            "purposes",
                Json.list(
                    series,
                    s ->
                        object(
                            "purpose", s.purpose(),
                            "series",
                                Json.list(
                                    s.days(),
                                    d ->
                                        object(
                                            "day", d.day().toString(),
                                            "given", d.given(),
                                            "refused", d.refused(),
                                            "withdrawn", d.withdrawn(),
                                            "expired", d.expired()))))));
  }
}
