package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static dev.privacykit.server.http.ConsentRoutes.tenant;
import static dev.privacykit.server.http.Json.object;

import dev.privacykit.consent.RetentionAction;
import dev.privacykit.consent.RetentionRun;
import dev.privacykit.javalin.PrivacyPlugin;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.Services;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Map;

/**
 * {@code /v1/retention}: run the policy's retention rules for the caller's tenant (or a dry run),
 * read what they did; and {@code /v1/subjects/{subject}/activity}, where the host reports that a
 * principal came (a login), which calls off an erasure for inactivity.
 */
final class RetentionRoutes {
  private final Services services;

  private RetentionRoutes(Services services) {
    this.services = services;
  }

  static void mount(JavalinConfig config, Services services) {
    RetentionRoutes routes = new RetentionRoutes(services);
    var r = config.routes;
    r.post("/v1/retention/run", routes::run, requires(Scopes.RETENTION));
    r.get("/v1/retention/actions", routes::actions, requires(Scopes.RETENTION));
    r.post("/v1/subjects/{subject}/activity", routes::activity, requires(Scopes.CONSENTS_WRITE));
  }

  private void run(Context ctx) {
    Json.optionalBody(ctx).only();
    boolean dry = Fields.queryBoolean(ctx, "dry_run", false);
    RetentionRun run = services.retention.run(tenant(ctx), dry);
    Map<String, Object> counts = new java.util.LinkedHashMap<>();
    for (RetentionAction.Kind kind : RetentionAction.Kind.values()) {
      counts.put(Views.lower(kind), run.count(kind));
    }
    Json.write(
        ctx,
        200,
        object(
            "dry_run", run.dryRun(),
            "at", run.at(),
            "more", run.more(),
            "counts", counts,
            "actions", Json.list(run.actions(), RetentionRoutes::view)));
  }

  private void actions(Context ctx) {
    Instant given = Fields.queryInstant(ctx, "to");
    Instant to = given == null ? Instant.now().plusSeconds(1) : given;
    Instant since = Fields.queryInstant(ctx, "from");
    Instant from = since == null ? to.minus(java.time.Duration.ofDays(30)) : since;
    if (from.isAfter(to)) {
      throw dev.privacykit.javalin.ProblemException.invalid("?from", "must not be after to");
    }
    int limit = (int) Fields.queryLong(ctx, "limit", 1, 10_000, 1_000);
    var actions = services.retention.actions(tenant(ctx), from, to, limit);
    Json.write(ctx, 200, object("actions", Json.list(actions, RetentionRoutes::view)));
  }

  private void activity(Context ctx) {
    String subject = Fields.path(ctx, "subject");
    Json.optionalBody(ctx).only();
    PrivacyPlugin.auditSubject(ctx, subject);
    services.retention.seen(tenant(ctx), subject);
    ctx.status(204);
  }

  static Map<String, Object> view(RetentionAction a) {
    return object(
        "id", a.id(),
        "subject", a.subject(),
        "purpose", a.purpose(),
        "rule", Views.lower(a.rule()),
        "kind", Views.lower(a.kind()),
        "status", Views.lower(a.status()),
        "basis_at", a.basisAt(),
        "due_at", a.dueAt(),
        "acted_at", a.actedAt(),
        "note", a.note());
  }
}
