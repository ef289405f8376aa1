package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static dev.privacykit.server.http.ConsentRoutes.tenant;
import static dev.privacykit.server.http.Json.object;

import dev.privacykit.consent.DataSubjectRequest;
import dev.privacykit.consent.DenialReason;
import dev.privacykit.consent.RequestIntake;
import dev.privacykit.consent.RequestType;
import dev.privacykit.javalin.PrivacyPlugin;
import dev.privacykit.javalin.ProblemException;
import dev.privacykit.policies.Regime;
import dev.privacykit.server.HtmlReports;
import dev.privacykit.server.ReportFormat;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.Services;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code /v1/requests}: data-subject requests, their steps and access packages. */
final class RequestRoutes {
  private final Services services;

  private RequestRoutes(Services services) {
    this.services = services;
  }

  static void mount(JavalinConfig config, Services services) {
    RequestRoutes routes = new RequestRoutes(services);
    var r = config.routes;
    r.post("/v1/requests", routes::create, requires(Scopes.REQUESTS));
    r.get("/v1/requests", routes::due, requires(Scopes.REQUESTS));
    r.get("/v1/requests/{id}", routes::show, requires(Scopes.REQUESTS));
    r.post("/v1/requests/{id}/{step}", routes::step, requires(Scopes.REQUESTS));
    r.get("/v1/requests/{id}/package", routes::accessPackage, requires(Scopes.REQUESTS));
  }

  private void create(Context ctx) {
    Fields body = Json.body(ctx).only("subject", "type", "regime", "identity_verified", "purposes");
    String subject = body.text("subject", 256);
    RequestType type = body.enumValue("type", RequestType.class, null);
    Regime regime = body.enumValue("regime", Regime.class, services.policy.regime());
    boolean verified = body.bool("identity_verified", false);
    DataSubjectRequest request =
        services.requests.submit(
            RequestIntake.of(tenant(ctx), subject, type, regime, verified)
                .purposes(body.has("purposes") ? body.texts("purposes", 64, 128) : List.of()));
    ctx.header("Location", "/v1/requests/" + request.id());
    Json.write(ctx, 201, Views.request(request));
  }

  private void due(Context ctx) {
    if (Fields.queryBoolean(ctx, "recipients_overdue", false)) {
      overdueRecipients(ctx);
      return;
    }
    long days = Fields.queryLong(ctx, "due_within_days", 0, 3_650, 3_650);
    var due = services.requests.dueWithin(tenant(ctx), Duration.ofDays(days));
    Json.write(ctx, 200, object("requests", Json.list(due, Views::request)));
  }

  /**
   * The tenant's requests with a recipient's confirmation overdue (GDPR Art. 19), longest overdue
   * first, each with its recipients.
   */
  private void overdueRecipients(Context ctx) {
    if (ctx.queryParam("due_within_days") != null) {
      throw ProblemException.invalid(
          "?due_within_days", "not allowed with recipients_overdue=true");
    }
    var late =
        services.recipientNotices.overdueRequests(tenant(ctx)).stream()
            .flatMap(id -> services.requests.get(id).stream())
            .toList();
    Json.write(ctx, 200, object("requests", Json.list(late, r -> withRecipients(r))));
  }

  private java.util.Map<String, Object> withRecipients(DataSubjectRequest request) {
    var view = Views.request(request);
    view.put("recipients", RecipientViews.ofRequest(request, services));
    return view;
  }

  /** The request, if it exists in the caller's tenant; 404 otherwise (even for other tenants). */
  /** The tenant's request named in the path; the request's audit entry names its subject. */
  private DataSubjectRequest find(Context ctx) {
    String id = Fields.path(ctx, "id");
    DataSubjectRequest request =
        services
            .requests
            .get(id)
            .filter(r -> r.tenant().equals(tenant(ctx)))
            .orElseThrow(
                () ->
                    new ProblemException(
                        404, "not-found", "Not found", "no such request in this tenant"));
    PrivacyPlugin.auditSubject(ctx, request.subject());
    return request;
  }

  private void show(Context ctx) {
    DataSubjectRequest request = find(ctx);
    var view = withRecipients(request);
    view.put("history", history(services.requests.history(request.id())));
    Json.write(ctx, 200, view);
  }

  /** A request's history as its JSON view: status, note and time per step. */
  static java.util.List<Object> history(java.util.List<java.util.Map<String, Object>> rows) {
    return Json.list(
        rows,
        row ->
            object("status", row.get("status"), "note", row.get("note"), "at", at(row.get("at"))));
  }

  static Object at(Object value) {
    if (value instanceof java.time.OffsetDateTime t) {
      return t.toInstant().toString();
    }
    if (value instanceof java.sql.Timestamp t) {
      return t.toInstant().toString();
    }
    return value == null ? null : value.toString();
  }

  private void step(Context ctx) {
    DataSubjectRequest request = find(ctx);
    String step = ctx.pathParam("step");
    Fields body = Json.optionalBody(ctx);
    var requests = services.requests;
    DataSubjectRequest updated =
        switch (step) {
          case "verify" -> {
            body.only("verified");
            boolean verified = body.requiredBool("verified");
            yield requests.verifyIdentity(request.id(), verified);
          }
          case "start" -> {
            body.only();
            yield requests.start(request.id());
          }
          case "extend" -> {
            body.only("months", "reason");
            yield requests.extend(
                request.id(), body.integer("months", 1, 2), body.text("reason", 1000));
          }
          case "fulfil" -> {
            body.only("note");
            yield requests.fulfil(request.id(), body.optionalText("note", 1000));
          }
          case "deny" -> {
            body.only("reason", "note");
            yield requests.deny(
                request.id(),
                body.enumValue("reason", DenialReason.class, null),
                body.text("note", 1000));
          }
          case "erase" -> {
            body.only();
            yield requests.erase(request.id());
          }
          case "lift" -> {
            body.only("reason");
            yield requests.liftRestriction(request.id(), body.text("reason", 1000));
          }
          case "withdraw" -> {
            body.only();
            yield requests.withdraw(request.id());
          }
          default ->
              throw ProblemException.invalid(
                  "{step}", "must be verify, start, extend, fulfil, deny, erase, lift or withdraw");
        };
    Json.write(ctx, 200, Views.request(updated));
  }

  private void accessPackage(Context ctx) throws Exception {
    writePackage(ctx, services, find(ctx));
  }

  /** Writes the access or portability package of {@code request} in the asked format. */
  static void writePackage(Context ctx, Services services, DataSubjectRequest request)
      throws Exception {
    services
        .audit(request.tenant())
        .sync()
        .join(); // the package's audit report includes what came before it
    ReportFormat format = Fields.queryEnum(ctx, "format", ReportFormat.class, ReportFormat.JSON);
    if (request.type() != RequestType.ACCESS && request.type() != RequestType.PORTABILITY) {
      throw new ProblemException(
          409,
          "invalid-transition",
          "Not an access request",
          "only access and portability requests have a package");
    }
    if (request.type() == RequestType.PORTABILITY && format == ReportFormat.HTML) {
      // GDPR Art. 20(1): a structured, machine-readable format; a page for people is not one.
      throw ProblemException.invalid("?format", "a portability export is json or csv");
    }
    ctx.contentType(format.contentType)
        .header(
            "Content-Disposition",
            "attachment; filename=\"access-"
                + request.id()
                + "."
                + format.name().toLowerCase(java.util.Locale.ROOT)
                + "\"");
    try (Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
      if (format == ReportFormat.HTML) {
        HtmlReports.write(
            out,
            "Your personal data",
            services.audit(request.tenant()),
            services.ledger,
            request.tenant(),
            request.subject(),
            Instant.now());
      } else {
        services.requests.writeAccessPackage(request.id(), format.export(), out);
      }
    }
  }
}
