package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static dev.privacykit.server.http.ConsentRoutes.tenant;
import static dev.privacykit.server.http.Json.object;

import dev.privacykit.consent.Incident;
import dev.privacykit.consent.IncidentReports;
import dev.privacykit.consent.Incidents;
import dev.privacykit.javalin.ProblemException;
import dev.privacykit.policies.Regime;
import dev.privacykit.server.IncidentHtml;
import dev.privacykit.server.ReportFormat;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.Services;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /v1/incidents}: the breach register: record, list (overdue first), show with history,
 * steps (update, notify-authority, file-report, find-affected, notify-principals, contain, close,
 * confirm, dismiss), the principals' notices, and the report draft as JSON or HTML. Another
 * tenant's incident is 404, as if it did not exist.
 */
final class IncidentRoutes {
  private final Services services;

  private IncidentRoutes(Services services) {
    this.services = services;
  }

  static void mount(JavalinConfig config, Services services) {
    IncidentRoutes routes = new IncidentRoutes(services);
    var r = config.routes;
    r.post("/v1/incidents", routes::create, requires(Scopes.INCIDENTS));
    r.get("/v1/incidents", routes::list, requires(Scopes.INCIDENTS));
    r.get("/v1/incidents/{id}", routes::show, requires(Scopes.INCIDENTS));
    r.post("/v1/incidents/{id}/{step}", routes::step, requires(Scopes.INCIDENTS));
    r.get("/v1/incidents/{id}/notices", routes::notices, requires(Scopes.INCIDENTS));
    r.get("/v1/incidents/{id}/report", routes::report, requires(Scopes.INCIDENTS));
  }

  private void create(Context ctx) {
    List<String> allowed = new ArrayList<>(List.of(IncidentViews.DETAILS));
    allowed.add("regime");
    allowed.add("detected_at");
    Fields body = Json.body(ctx).only(allowed.toArray(String[]::new));
    Regime regime = body.enumValue("regime", Regime.class, services.policy.regime());
    Instant detected = body.optionalInstant("detected_at");
    if (detected == null) {
      throw ProblemException.invalid("/detected_at", "is required");
    }
    Incident incident =
        services.incidents.record(tenant(ctx), regime, detected, IncidentViews.details(body));
    ctx.header("Location", "/v1/incidents/" + incident.id());
    Json.write(ctx, 201, IncidentViews.incident(incident));
  }

  private void list(Context ctx) {
    Json.write(
        ctx,
        200,
        object(
            "incidents", Json.list(services.incidents.list(tenant(ctx)), IncidentViews::incident)));
  }

  /** The tenant's incident named in the path; 404 otherwise (even for other tenants). */
  private Incident find(Context ctx) {
    String id = Fields.path(ctx, "id");
    return services
        .incidents
        .get(id)
        .filter(i -> i.tenant().equals(tenant(ctx)))
        .orElseThrow(
            () ->
                new ProblemException(
                    404, "not-found", "Not found", "no such incident in this tenant"));
  }

  private void show(Context ctx) {
    Incident incident = find(ctx);
    var view = IncidentViews.incident(incident);
    view.put("history", RequestRoutes.history(services.incidents.history(incident.id())));
    Json.write(ctx, 200, view);
  }

  private void step(Context ctx) {
    Incident incident = find(ctx);
    String id = incident.id();
    Fields body = Json.optionalBody(ctx);
    Incidents incidents = services.incidents;
    Incident updated =
        switch (ctx.pathParam("step")) {
          case "update" ->
              incidents.update(id, IncidentViews.details(body.only(IncidentViews.DETAILS)));
          case "notify-authority" -> {
            body.only("at", "reference");
            yield incidents.notifyAuthority(
                id, body.optionalInstant("at"), body.optionalText("reference", 256));
          }
          case "file-report" -> {
            body.only("at", "reference");
            yield incidents.fileReport(
                id, body.optionalInstant("at"), body.optionalText("reference", 256));
          }
          case "find-affected" -> incidents.findAffected(id, IncidentViews.search(body));
          case "notify-principals" -> {
            body.only();
            yield incidents.notifyPrincipals(id);
          }
          case "contain" -> incidents.contain(id, note(body, false));
          case "close" -> incidents.close(id, note(body, true));
          case "confirm" -> incidents.confirm(id, note(body, false));
          case "dismiss" -> incidents.dismiss(id, note(body, true));
          default ->
              throw ProblemException.invalid(
                  "{step}",
                  "must be update, notify-authority, file-report, find-affected,"
                      + " notify-principals, contain, close, confirm or dismiss");
        };
    Json.write(ctx, 200, IncidentViews.incident(updated));
  }

  private static String note(Fields body, boolean required) {
    body.only("note");
    return required ? body.text("note", 1000) : body.optionalText("note", 1000);
  }

  private void notices(Context ctx) {
    Incident incident = find(ctx);
    Json.write(
        ctx,
        200,
        object(
            "notices",
            Json.list(services.incidents.notices(incident.id()), IncidentViews::notice)));
  }

  private void report(Context ctx) throws Exception {
    Incident incident = find(ctx);
    ReportFormat format = Fields.queryEnum(ctx, "format", ReportFormat.class, ReportFormat.JSON);
    if (format == ReportFormat.CSV) {
      throw ProblemException.invalid("?format", "must be one of json, html");
    }
    IncidentReports.Draft draft = IncidentReports.draft(incident, Instant.now());
    if (format == ReportFormat.JSON) {
      Json.write(ctx, 200, draft.toMap());
      return;
    }
    ctx.contentType(format.contentType);
    try (Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
      IncidentHtml.write(out, draft);
    }
  }
}
