package dev.privacykit.server.http;

import static dev.privacykit.server.http.Json.object;

import dev.privacykit.consent.AffectedSearch;
import dev.privacykit.consent.Incident;
import dev.privacykit.consent.IncidentDetails;
import dev.privacykit.consent.IncidentNotice;
import java.util.List;
import java.util.Map;

/** Incidents as JSON, and their fields read from JSON: the shapes of {@code /v1/incidents}. */
final class IncidentViews {
  static final String[] DETAILS = {
    "nature",
    "categories",
    "approximate_principals",
    "approximate_records",
    "consequences",
    "measures",
    "contact",
    "occurred_at",
    "location",
    "circumstances",
    "responsible",
    "remedial",
    "principal_advice"
  };

  private IncidentViews() {}

  static Map<String, Object> incident(Incident i) {
    IncidentDetails d = i.details();
    return object(
        "id", i.id(),
        "regime", i.regime(),
        "status", i.status(),
        "source", i.source(),
        "detected_at", i.detectedAt(),
        "recorded_at", i.recordedAt(),
        "details",
            object(
                "nature", d.nature(),
                "categories", d.categories(),
                "approximate_principals", d.approximatePrincipals(),
                "approximate_records", d.approximateRecords(),
                "consequences", d.consequences(),
                "measures", d.measures(),
                "contact", d.contact(),
                "occurred_at", d.occurredAt(),
                "location", d.location(),
                "circumstances", d.circumstances(),
                "responsible", d.responsible(),
                "remedial", d.remedial(),
                "principal_advice", d.principalAdvice()),
        "clocks",
            object(
                "authority_due_at", i.authorityDueAt(),
                "authority_notified_at", i.authorityNotifiedAt(),
                "authority_reference", i.authorityReference(),
                "principals_due_at", i.principalsDueAt(),
                "principals_notified_at", i.principalsNotifiedAt(),
                "report_due_at", i.reportDueAt(),
                "report_filed_at", i.reportFiledAt(),
                "report_reference", i.reportReference()),
        "principals", i.principals(),
        "notices", i.notices(),
        "delivered", i.delivered(),
        "overdue", i.overdue());
  }

  static Map<String, Object> notice(IncidentNotice n) {
    return object(
        "subject", n.subject(),
        "event_id", n.eventId(),
        "notified_at", n.notifiedAt(),
        "status", n.status());
  }

  /** The details in a body (the fields of {@link #DETAILS}). */
  static IncidentDetails details(Fields body) {
    Long principals = body.optionalLong("approximate_principals", 0, 10_000_000_000L);
    Long records = body.optionalLong("approximate_records", 0, 10_000_000_000L);
    List<String> categories =
        body.has("categories") ? body.texts("categories", 64, 128) : List.of();
    return new IncidentDetails(
        body.text("nature", 4000),
        categories,
        principals,
        records,
        body.optionalText("consequences", 4000),
        body.optionalText("measures", 4000),
        body.optionalText("contact", 1000),
        body.optionalInstant("occurred_at"),
        body.optionalText("location", 1000),
        body.optionalText("circumstances", 4000),
        body.optionalText("responsible", 2000),
        body.optionalText("remedial", 4000),
        body.optionalText("principal_advice", 4000));
  }

  static AffectedSearch search(Fields body) {
    body.only("actor", "purpose", "category", "from", "to");
    java.time.Instant from = body.optionalInstant("from");
    java.time.Instant to = body.optionalInstant("to");
    if (from == null) {
      throw dev.privacykit.javalin.ProblemException.invalid("/from", "is required");
    }
    if (to == null) {
      throw dev.privacykit.javalin.ProblemException.invalid("/to", "is required");
    }
    return new AffectedSearch(
        body.optionalText("actor", 256),
        body.optionalText("purpose", 128),
        body.optionalText("category", 128),
        from,
        to);
  }
}
