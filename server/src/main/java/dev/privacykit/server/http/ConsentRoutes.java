package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static dev.privacykit.server.http.Json.object;

import dev.privacykit.consent.ActingParty;
import dev.privacykit.consent.ConsentChange;
import dev.privacykit.consent.ConsentEvent;
import dev.privacykit.consent.ConsentLedger;
import dev.privacykit.consent.ConsentMethod;
import dev.privacykit.consent.Evidence;
import dev.privacykit.consent.Provenance;
import dev.privacykit.consent.ReceiptFormat;
import dev.privacykit.javalin.Caller;
import dev.privacykit.javalin.MediaTypes;
import dev.privacykit.javalin.PrivacyPlugin;
import dev.privacykit.javalin.ProblemException;
import dev.privacykit.policies.ConsentAnswer;
import dev.privacykit.policies.ConsentState;
import dev.privacykit.policies.Decision;
import dev.privacykit.policies.DecisionRequest;
import dev.privacykit.policies.Notice;
import dev.privacykit.policies.Purpose;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.Services;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /v1} routes for purposes, notices and consents. */
final class ConsentRoutes {
  private final Services services;

  private ConsentRoutes(Services services) {
    this.services = services;
  }

  static void mount(JavalinConfig config, Services services) {
    ConsentRoutes routes = new ConsentRoutes(services);
    var r = config.routes;
    r.get("/v1/purposes", routes::purposes, requires(Scopes.POLICY_READ));
    r.get("/v1/notices", routes::notices, requires(Scopes.POLICY_READ));
    r.get("/v1/subjects/{subject}/consents", routes::all, requires(Scopes.CONSENTS_READ));
    r.get(
        "/v1/subjects/{subject}/consents/{purpose}",
        routes::current,
        requires(Scopes.CONSENTS_READ));
    r.get(
        "/v1/subjects/{subject}/consents/{purpose}/history",
        routes::history,
        requires(Scopes.CONSENTS_READ));
    r.get(
        "/v1/subjects/{subject}/consents/{purpose}/receipt",
        routes::receipt,
        requires(Scopes.CONSENTS_READ));
    r.post(
        "/v1/subjects/{subject}/consents/{purpose}/{action}",
        ctx -> routes.change(ctx, Fields.path(ctx, "subject")),
        requires(Scopes.CONSENTS_WRITE));
    r.post("/v1/subjects/{subject}/gpc", routes::gpc, requires(Scopes.CONSENTS_WRITE));
    r.post("/v1/consents/check", routes::check, requires(Scopes.CONSENTS_READ).readsOnly());
    r.post("/v1/consents/import", routes::importRecords, requires(Scopes.CONSENTS_WRITE));
    r.get("/v1/consents/export", routes::export, requires(Scopes.CONSENTS_READ));
    r.get("/v1/receipts/key", routes::receiptKey, requires(Scopes.CONSENTS_READ));
    r.get(
        "/v1/me/consents", ctx -> routes.writeAll(ctx, self(ctx)), requires(Scopes.CONSENTS_SELF));
    r.post(
        "/v1/me/consents/{purpose}/{action}",
        ctx -> routes.change(ctx, self(ctx)),
        requires(Scopes.CONSENTS_SELF));
  }

  /** A data principal's own subject, from the token, named in the request's audit entry. */
  static String self(Context ctx) {
    String subject = PrivacyPlugin.principal(ctx).subject();
    PrivacyPlugin.auditSubject(ctx, subject);
    return subject;
  }

  static String tenant(Context ctx) {
    return PrivacyPlugin.caller(ctx).tenant();
  }

  private void purposes(Context ctx) {
    var policy = services.policy;
    List<Object> purposes =
        Json.list(
            policy.purposes().values(),
            (Purpose p) ->
                object(
                    "id", p.id(),
                    "title", p.title(),
                    "description", p.description(),
                    "lawful_basis", p.basis().code(),
                    "requires_consent", p.requiresConsent(),
                    "notice", p.notice(),
                    "consent_validity",
                        p.consentValidity() == null ? null : p.consentValidity().toString(),
                    "categories", List.copyOf(new java.util.TreeSet<>(p.categories())),
                    "recipients", p.recipients(),
                    "gpc", p.gpc(),
                    "direct_marketing", p.directMarketing(),
                    "automated_decision", p.automatedDecision()));
    Json.write(
        ctx,
        200,
        object("policy", policy.name(), "regime", policy.regime().name(), "purposes", purposes));
  }

  private void notices(Context ctx) {
    List<Object> notices =
        Json.list(
            services.policy.notices().values(),
            (Notice n) ->
                object(
                    "id", n.id(),
                    "latest_version", n.latest().version(),
                    "latest_material_version", n.latestMaterialVersion(),
                    "versions",
                        Json.list(
                            n.versions(),
                            v ->
                                object(
                                    "version", v.version(),
                                    "published", v.published().toString(),
                                    "languages", v.languages(),
                                    "material", v.material()))));
    Json.write(ctx, 200, object("notices", notices));
  }

  private void all(Context ctx) {
    writeAll(ctx, Fields.path(ctx, "subject"));
  }

  private void writeAll(Context ctx, String subject) {
    Map<String, ConsentAnswer> consents = services.ledger.subjectConsents(tenant(ctx), subject);
    Json.write(
        ctx,
        200,
        object(
            "subject",
            subject,
            "consents",
            Json.list(consents.entrySet(), e -> Views.answer(e.getKey(), e.getValue()))));
  }

  private String purpose(Context ctx) {
    String purpose = Fields.path(ctx, "purpose");
    if (services.policy.purpose(purpose).isEmpty()) {
      throw new ProblemException(
          404, "unknown-purpose", "Unknown purpose", "the policy has no such purpose");
    }
    return purpose;
  }

  private void current(Context ctx) {
    String subject = Fields.path(ctx, "subject");
    String purpose = purpose(ctx);
    ConsentAnswer answer = services.ledger.current(tenant(ctx), subject, purpose);
    if (answer.state() == ConsentState.NONE && answer.hold() == null) {
      throw new ProblemException(
          404, "no-consent", "No consent", "no consent is recorded for this subject and purpose");
    }
    Json.write(ctx, 200, Views.answer(purpose, answer));
  }

  private void history(Context ctx) {
    String subject = Fields.path(ctx, "subject");
    List<ConsentEvent> events = services.ledger.history(tenant(ctx), subject, purpose(ctx));
    Json.write(ctx, 200, object("events", Json.list(events, Views::event)));
  }

  private void receipt(Context ctx) throws Exception {
    String subject = Fields.path(ctx, "subject");
    List<ConsentEvent> events = services.ledger.history(tenant(ctx), subject, purpose(ctx));
    if (events.isEmpty()) {
      throw new ProblemException(
          404, "no-consent", "No consent", "no consent is recorded for this subject and purpose");
    }
    String format = Fields.query(ctx, "format", 16);
    ReceiptFormat receiptFormat =
        format == null || format.equals("kantara")
            ? ReceiptFormat.KANTARA_1_1
            : format.equals("iso") ? ReceiptFormat.ISO_27560 : null;
    if (receiptFormat == null) {
      throw ProblemException.invalid("?format", "must be kantara or iso");
    }
    ConsentEvent latest = events.get(events.size() - 1);
    Json.write(
        ctx,
        200,
        object(
            "event_id", latest.eventId(),
            "format", format == null ? "kantara" : format,
            "receipt", services.receipts.receipt(latest, services.policy, receiptFormat),
            "key", Json.MAPPER.readTree(services.receipts.publicJwk())));
  }

  private void receiptKey(Context ctx) throws Exception {
    Json.write(ctx, 200, Json.MAPPER.readTree(services.receipts.publicJwk()));
  }

  private void change(Context ctx, String subject) {
    String purpose = purpose(ctx);
    String action = ctx.pathParam("action");
    Fields body = Json.optionalBody(ctx);
    body.only(
        "notice_version",
        "language",
        "notice_hash",
        "method",
        "acting_party",
        "idempotency_key",
        "evidence");
    boolean needsNotice = action.equals("give") || action.equals("renew");
    int version =
        needsNotice
            ? body.integer("notice_version", 1, 1_000_000)
            : java.util.Objects.requireNonNullElse(
                body.optionalInteger("notice_version", 0, 1_000_000), 0);
    ConsentMethod method = body.enumValue("method", ConsentMethod.class, ConsentMethod.API);
    if (method == ConsentMethod.CONSENT_MANAGER) {
      throw ProblemException.invalid(
          "method", "a Consent Manager's change arrives as its signed artefact, not as a method");
    }
    ActingParty party = body.enumValue("acting_party", ActingParty.class, ActingParty.SELF);
    Fields evidenceFields = body.optionalObject("evidence");
    Evidence evidence = Evidence.at(Instant.now());
    if (evidenceFields != null) {
      evidenceFields.only("collected_at", "channel", "ip_address", "user_agent", "ui_version");
      Instant collected = evidenceFields.optionalInstant("collected_at");
      evidence =
          Evidence.of(
              collected == null ? Instant.now() : collected,
              evidenceFields.optionalText("channel", 64),
              evidenceFields.optionalText("ip_address", 45),
              evidenceFields.optionalText("user_agent", 1024),
              evidenceFields.optionalText("ui_version", 64));
    }
    ConsentChange change =
        new ConsentChange(
            tenant(ctx),
            subject,
            purpose,
            version,
            body.optionalText("language", 35),
            method,
            evidence,
            party,
            body.optionalText("idempotency_key", 128),
            Provenance.NONE.withNoticeHash(body.optionalText("notice_hash", 64)));
    ConsentLedger ledger = services.ledger;
    ConsentEvent event =
        switch (action) {
          case "give" -> ledger.give(change);
          case "renew" -> ledger.renew(change);
          case "refuse" -> ledger.refuse(change);
          case "withdraw" -> ledger.withdraw(change);
          default ->
              throw ProblemException.invalid("{action}", "must be give, renew, refuse or withdraw");
        };
    Json.write(ctx, 201, Views.event(event));
  }

  private void gpc(Context ctx) {
    String subject = Fields.path(ctx, "subject");
    List<ConsentEvent> events =
        services.ledger.recordGpc(
            tenant(ctx), subject, Evidence.of(Instant.now(), "gpc", null, ctx.userAgent(), null));
    Json.write(ctx, 201, object("events", Json.list(events, Views::event)));
  }

  private void check(Context ctx) {
    Fields body = Json.body(ctx).only("subject", "purposes", "gpc", "actor_roles");
    String subject = body.text("subject", 256);
    PrivacyPlugin.auditSubject(ctx, subject);
    List<String> purposes = body.texts("purposes", 100, 128);
    Caller caller = PrivacyPlugin.caller(ctx);
    boolean gpc = body.bool("gpc", false) || caller.gpc();
    // The roles of whoever will process the data (the policy's actors); the caller's own when the
    // backend does not say.
    Set<String> roles = caller.actorRoles();
    if (body.has("actor_roles")) {
      // Roles a decision depends on come from the token, unless the backend may vouch for its
      // users' roles; then the assertion is recorded in the request's audit entry.
      if (!caller.actorRoles().contains(Scopes.ROLES_ASSERT)) {
        throw new ProblemException(
                403,
                "insufficient-scope",
                "Insufficient scope",
                "naming actor_roles needs " + Scopes.ROLES_ASSERT)
            .withPointer("/actor_roles");
      }
      roles = new HashSet<>(body.texts("actor_roles", 32, 128));
      PrivacyPlugin.auditActorRole(
          ctx, "asserted:" + String.join(",", new java.util.TreeSet<>(roles)));
    }
    Map<String, Decision> decisions =
        services.decisions.decideEach(
            new DecisionRequest(caller.tenant(), subject, "-", Set.of(), roles, gpc, Instant.now()),
            purposes);
    Map<String, Object> results = new LinkedHashMap<>();
    decisions.forEach((purpose, decision) -> results.put(purpose, Views.decision(decision)));
    Json.write(
        ctx,
        200,
        object(
            "subject",
            subject,
            "allowed",
            decisions.values().stream().allMatch(Decision::allowed),
            "results",
            results));
  }

  private void importRecords(Context ctx) throws Exception {
    String type = ctx.contentType() == null ? "" : ctx.contentType();
    if (!"application/x-ndjson".equals(MediaTypes.exact(type))) {
      throw new ProblemException(
          415,
          "unsupported-media-type",
          "Unsupported media type",
          "an import is application/x-ndjson: one JSON object per line");
    }
    ConsentLedger.ImportResult result;
    try (var in = Utf8.reader(ctx.bodyInputStream())) {
      result = services.ledger.importNdjson(tenant(ctx), in);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw Utf8.invalid(); // read in full before anything is stored: nothing was imported
    }
    Json.write(
        ctx,
        200,
        object(
            "imported", result.imported(),
            "duplicates", result.duplicates(),
            "errors", result.errors()));
  }

  private void export(Context ctx) throws Exception {
    ctx.contentType("application/x-ndjson");
    try (Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
      services.ledger.exportNdjson(tenant(ctx), out);
    }
  }
}
