package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static dev.privacykit.server.http.ConsentRoutes.self;
import static dev.privacykit.server.http.ConsentRoutes.tenant;
import static dev.privacykit.server.http.Json.object;

import dev.privacykit.consent.ConsentManager;
import dev.privacykit.consent.ConsentManagers;
import dev.privacykit.consent.ManagerArtefact;
import dev.privacykit.consent.ManagerChange;
import dev.privacykit.javalin.PrivacyPlugin;
import dev.privacykit.javalin.ProblemException;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.Services;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Consent Managers over HTTP (DPDP Act s.6(7)-(9), Rules 2025 rule 4). The fiduciary registers,
 * rotates, suspends and removes its managers ({@code consent-managers:manage}); a manager's
 * integration ({@code consent-managers:submit}) submits signed artefacts and pulls the changes made
 * directly with the fiduciary; a principal sees through {@code /v1/me/consent-managers} which
 * manager acted for her. The tenant is always the token's.
 */
final class ConsentManagerRoutes {
  private final ConsentManagers managers;

  private ConsentManagerRoutes(Services services) {
    this.managers = services.consentManagers;
  }

  static void mount(JavalinConfig config, Services services) {
    ConsentManagerRoutes routes = new ConsentManagerRoutes(services);
    var r = config.routes;
    String manage = Scopes.CONSENT_MANAGERS;
    r.get("/v1/consent-managers", routes::list, requires(manage));
    r.post("/v1/consent-managers", routes::register, requires(manage));
    r.get("/v1/consent-managers/{id}", routes::show, requires(manage));
    r.delete("/v1/consent-managers/{id}", routes::remove, requires(manage));
    r.put("/v1/consent-managers/{id}/keys", routes::keys, requires(manage));
    r.post("/v1/consent-managers/{id}/suspend", routes::suspend, requires(manage));
    r.post("/v1/consent-managers/{id}/resume", routes::resume, requires(manage));
    r.post(
        "/v1/consent-managers/{id}/artefacts",
        routes::submit,
        requires(Scopes.CONSENT_MANAGERS_SUBMIT));
    r.get(
        "/v1/consent-managers/{id}/changes",
        routes::changes,
        requires(Scopes.CONSENT_MANAGERS_SUBMIT));
    r.get("/v1/me/consent-managers", routes::mine, requires(Scopes.CONSENTS_SELF));
  }

  private void list(Context ctx) {
    Json.write(
        ctx,
        200,
        object(
            "consent_managers", Json.list(managers.list(tenant(ctx)), ConsentManagerRoutes::view)));
  }

  private void register(Context ctx) {
    Fields body = Json.body(ctx).only("id", "registration_number", "name", "jwks", "webhook_id");
    String id = body.text("id", 128);
    String number = body.text("registration_number", 256);
    String name = body.text("name", 256);
    String jwks = jwks(body);
    String webhook = body.optionalText("webhook_id", 36);
    ConsentManager manager = managers.register(tenant(ctx), id, number, name, jwks, webhook);
    ctx.header("Location", "/v1/consent-managers/" + manager.id());
    Json.write(ctx, 201, view(manager));
  }

  private static String jwks(Fields body) {
    Fields jwks = body.optionalObject("jwks");
    if (jwks == null) {
      throw ProblemException.invalid("/jwks", "is required");
    }
    return jwks.json();
  }

  private void show(Context ctx) {
    String id = Fields.path(ctx, "id");
    Json.write(
        ctx,
        200,
        view(
            managers
                .get(tenant(ctx), id)
                .orElseThrow(
                    () ->
                        new ProblemException(
                            404, "not-found", "Not found", "no such Consent Manager"))));
  }

  private void keys(Context ctx) {
    String id = Fields.path(ctx, "id");
    Fields body = Json.body(ctx).only("jwks");
    Json.write(ctx, 200, view(managers.replaceKeys(tenant(ctx), id, jwks(body))));
  }

  private void suspend(Context ctx) {
    Json.optionalBody(ctx).only();
    Json.write(ctx, 200, view(managers.suspend(tenant(ctx), Fields.path(ctx, "id"))));
  }

  private void resume(Context ctx) {
    Json.optionalBody(ctx).only();
    Json.write(ctx, 200, view(managers.resume(tenant(ctx), Fields.path(ctx, "id"))));
  }

  private void remove(Context ctx) {
    Json.write(ctx, 200, view(managers.remove(tenant(ctx), Fields.path(ctx, "id"))));
  }

  /**
   * Verifies and records an artefact. Its subject is personal data: the request's audit entry names
   * it, and each purpose's change has its own entry through the ledger.
   */
  private void submit(Context ctx) {
    String id = Fields.path(ctx, "id");
    Fields body = Json.body(ctx).only("artefact");
    String artefact = body.text("artefact", 16_384);
    ConsentManagers.Applied applied = managers.submit(tenant(ctx), id, artefact);
    PrivacyPlugin.auditSubject(ctx, applied.artefact().subject());
    Json.write(
        ctx,
        201,
        object(
            "artefact",
            artefact(applied.artefact(), true),
            "events",
            Json.list(applied.events(), Views::event)));
  }

  private void changes(Context ctx) {
    String id = Fields.path(ctx, "id");
    var principal = PrivacyPlugin.principal(ctx);
    if (!principal.scopes().contains(Scopes.ADMIN) && !id.equals(principal.subject())) {
      // The queue says whose consents changed: a manager reads its own only.
      throw new ProblemException(
          403,
          "not-this-consent-manager",
          "Not this Consent Manager",
          "a Consent Manager pulls only its own changes: the token's subject must be {id}");
    }
    long after = Fields.queryLong(ctx, "after", 0, Long.MAX_VALUE, 0);
    int limit = (int) Fields.queryLong(ctx, "limit", 1, ConsentManagers.MAX_PULL, 100);
    List<ManagerChange> changes = managers.changes(tenant(ctx), id, after, limit);
    long next = changes.isEmpty() ? after : changes.get(changes.size() - 1).cursor();
    Json.write(
        ctx,
        200,
        object(
            "changes",
            Json.list(changes, ConsentManagerRoutes::change),
            "next_cursor",
            String.valueOf(next)));
  }

  /** The managers that acted for the caller, each with the artefacts it sent for her. */
  private void mine(Context ctx) {
    String subject = self(ctx); // the one audit entry of this read names her
    String tenant = tenant(ctx);
    Map<String, List<ManagerArtefact>> byManager = new LinkedHashMap<>();
    for (ManagerArtefact a : managers.artefacts(tenant, subject)) {
      byManager.computeIfAbsent(a.consentManager(), k -> new ArrayList<>()).add(a);
    }
    List<Object> out = new ArrayList<>();
    byManager.forEach(
        (id, artefacts) -> {
          var known = managers.get(tenant, id);
          out.add(
              object(
                  "id", id,
                  "name", known.map(ConsentManager::name).orElse(null),
                  "registration_number", known.map(ConsentManager::registrationNumber).orElse(null),
                  "artefacts", Json.list(artefacts, a -> artefact(a, false))));
        });
    Json.write(ctx, 200, object("consent_managers", out));
  }

  static Map<String, Object> view(ConsentManager m) {
    return object(
        "id", m.id(),
        "registration_number", m.registrationNumber(),
        "name", m.name(),
        "jwks", keySet(m.jwks()),
        "webhook_id", m.webhookId(),
        "status", m.status().name().toLowerCase(java.util.Locale.ROOT),
        "source", m.fromPolicy() ? "policy" : "api",
        "updated_at", m.updatedAt());
  }

  private static Object keySet(String jwks) {
    try {
      return Json.MAPPER.readTree(jwks);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a stored key set is not JSON", e);
    }
  }

  private static Map<String, Object> artefact(ManagerArtefact a, boolean withSubject) {
    Map<String, Object> out =
        object(
            "id", a.id(),
            "consent_manager", a.consentManager(),
            "jti", a.jti(),
            "action", a.action(),
            "purposes", a.purposes(),
            "issued_at", a.issuedAt(),
            "received_at", a.receivedAt(),
            "sha256", a.sha256(),
            "jws", a.jws());
    if (withSubject) {
      out.put("subject", a.subject());
    }
    return out;
  }

  private static Map<String, Object> change(ManagerChange c) {
    return object(
        "cursor", String.valueOf(c.cursor()),
        "subject", c.subject(),
        "purpose", c.purpose(),
        "state", c.state(),
        "method", c.method(),
        "notice_version", c.noticeVersion(),
        "event_id", c.eventId(),
        "occurred_at", c.occurredAt(),
        "queued_at", c.createdAt(),
        "delivery", c.delivery() == null ? null : c.delivery().toLowerCase(java.util.Locale.ROOT),
        "pulled_at", c.pulledAt());
  }
}
