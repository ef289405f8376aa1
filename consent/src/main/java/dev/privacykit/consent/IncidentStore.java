package dev.privacykit.consent;

import dev.privacykit.policies.Regime;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The SQL of the breach register ({@code incidents}, {@code incident_events}, {@code
 * incident_principals}): every statement {@link Incidents} runs is here. A step locks the
 * incident's row, applies one {@link Step}, stamps it and records the event, in one transaction.
 * Thread-safe.
 */
final class IncidentStore {
  private static final String VIEW =
      "SELECT i.*,"
          + " (SELECT COUNT(*) FROM incident_principals p WHERE p.incident_id = i.id) AS n_principals,"
          + " (SELECT COUNT(*) FROM incident_principals p WHERE p.incident_id = i.id"
          + " AND p.outbox_id IS NOT NULL) AS n_notices,"
          + " (SELECT COUNT(DISTINCT p.subject) FROM incident_principals p JOIN webhook_deliveries d"
          + " ON d.outbox_id = p.outbox_id WHERE p.incident_id = i.id AND d.status = 'DELIVERED')"
          + " AS n_delivered FROM incidents i";

  private final Jdbi jdbi;
  private final String lock;

  IncidentStore(Database database) {
    this.jdbi = Jdbis.of(database);
    this.lock = database.dialect().lockRowsClause();
  }

  /** One step: checks the locked incident, makes its changes, says the new status. */
  @FunctionalInterface
  interface Step {
    IncidentStatus apply(Incident incident, Handle h, Instant now);
  }

  /** Work done in the step's transaction once it applied (its audit entry). */
  @FunctionalInterface
  interface After {
    void accept(Handle h, Incident incident, IncidentStatus next);
  }

  /** A new incident's row and its first event; false when its source key is taken (a duplicate). */
  boolean insert(
      String id,
      String tenant,
      Regime regime,
      IncidentStatus status,
      String source,
      String sourceKey,
      Instant detected,
      IncidentDetails details,
      Instant now,
      Consumer<Handle> within) {
    return jdbi.inTransaction(
        h -> {
          if (sourceKey != null
              && h.createQuery(
                          "SELECT COUNT(*) FROM incidents WHERE tenant = :t AND source_key = :k")
                      .bind("t", tenant)
                      .bind("k", sourceKey)
                      .mapTo(Long.class)
                      .one()
                  > 0) {
            return false;
          }
          h.createUpdate(
                  "INSERT INTO incidents (id, tenant, regime, status, source, source_key, detected_at,"
                      + " recorded_at, nature, updated_at) VALUES (:id, :t, :regime, :status, :source,"
                      + " :key, :detected, :now, :nature, :now)")
              .bind("id", id)
              .bind("t", tenant)
              .bind("regime", regime.name())
              .bind("status", status.name())
              .bind("source", source)
              .bind("key", sourceKey)
              .bind("detected", utc(detected))
              .bind("now", utc(now))
              .bind("nature", details.nature())
              .execute();
          describe(h, id, details);
          event(h, id, status, "recorded (" + source + ")", now);
          within.accept(h);
          return true;
        });
  }

  /** Replaces what is known of the incident. */
  static void describe(Handle h, String id, IncidentDetails d) {
    h.createUpdate(
            "UPDATE incidents SET nature = :nature, categories = :categories, approx_principals = :ap,"
                + " approx_records = :ar, consequences = :consequences, measures = :measures,"
                + " contact = :contact, occurred_at = :occurred, location = :location,"
                + " circumstances = :circumstances, responsible = :responsible, remedial = :remedial,"
                + " principal_advice = :advice WHERE id = :id")
        .bind("nature", d.nature())
        .bind("categories", d.categories().isEmpty() ? null : String.join(",", d.categories()))
        .bind("ap", d.approximatePrincipals())
        .bind("ar", d.approximateRecords())
        .bind("consequences", d.consequences())
        .bind("measures", d.measures())
        .bind("contact", d.contact())
        .bind("occurred", d.occurredAt() == null ? null : utc(d.occurredAt()))
        .bind("location", d.location())
        .bind("circumstances", d.circumstances())
        .bind("responsible", d.responsible())
        .bind("remedial", d.remedial())
        .bind("advice", d.principalAdvice())
        .bind("id", id)
        .execute();
  }

  /** Sets columns of the incident ({@code assignments} uses :v1 and :v2). */
  static void set(Handle h, String id, String assignments, Object v1, Object v2) {
    var update = h.createUpdate("UPDATE incidents SET " + assignments + " WHERE id = :id");
    if (assignments.contains(":v1")) {
      update.bind("v1", v1 instanceof Instant i ? utc(i) : v1);
    }
    if (assignments.contains(":v2")) {
      update.bind("v2", v2 instanceof Instant i ? utc(i) : v2);
    }
    update.bind("id", id).execute();
  }

  /**
   * Locks the incident, applies {@code step}, stamps it and records the event.
   *
   * @throws ConsentException {@code not-found} when there is no such incident
   */
  void transition(String id, String note, Instant now, Step step, After after) {
    jdbi.useTransaction(
        h -> {
          h.createQuery("SELECT id FROM incidents WHERE id = :id " + lock)
              .bind("id", id)
              .mapTo(String.class)
              .findOne()
              .orElseThrow(() -> Incidents.notFound(id));
          Incident incident = find(h, id, now).orElseThrow();
          IncidentStatus next = step.apply(incident, h, now);
          set(h, id, "status = :v1, updated_at = :v2", next.name(), now);
          event(h, id, next, note, now);
          after.accept(h, incident, next);
        });
  }

  Optional<Incident> find(String id, Instant now) {
    return jdbi.withHandle(h -> find(h, id, now));
  }

  private Optional<Incident> find(Handle h, String id, Instant now) {
    return h.createQuery(VIEW + " WHERE i.id = :id")
        .bind("id", id)
        .map((rs, ctx) -> incident(rs, now))
        .findOne();
  }

  /** A tenant's incidents (candidates and closed ones included), at most 1000, newest first. */
  List<Incident> list(String tenant, Instant now) {
    return jdbi.withHandle(
        h ->
            h.createQuery(VIEW + " WHERE i.tenant = :t ORDER BY i.detected_at DESC LIMIT 1000")
                .bind("t", tenant)
                .map((rs, ctx) -> incident(rs, now))
                .list());
  }

  List<Map<String, Object>> history(String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT status, note, at FROM incident_events WHERE incident_id = :id ORDER BY id")
                .bind("id", id)
                .mapToMap()
                .list());
  }

  /** Attaches the subjects not attached yet; returns how many were new. */
  static int attach(Handle h, String id, java.util.Collection<String> subjects, Instant now) {
    java.util.Set<String> known =
        new java.util.HashSet<>(
            h.createQuery("SELECT subject FROM incident_principals WHERE incident_id = :id")
                .bind("id", id)
                .mapTo(String.class)
                .list());
    var batch =
        h.prepareBatch(
            "INSERT INTO incident_principals (incident_id, subject, found_at) VALUES (:id, :s, :at)");
    int added = 0;
    for (String subject : subjects) {
      if (known.add(subject)) {
        batch.bind("id", id).bind("s", subject).bind("at", utc(now)).add();
        added++;
      }
    }
    if (added > 0) {
      batch.execute();
    }
    return added;
  }

  /** The attached subjects without a notice yet. */
  static List<String> unnotified(Handle h, String id) {
    return h.createQuery(
            "SELECT subject FROM incident_principals WHERE incident_id = :id AND outbox_id IS NULL"
                + " ORDER BY subject")
        .bind("id", id)
        .mapTo(String.class)
        .list();
  }

  static void notified(Handle h, String id, String subject, String eventId, Instant now) {
    h.createUpdate(
            "UPDATE incident_principals SET outbox_id = :o, notified_at = :at"
                + " WHERE incident_id = :id AND subject = :s")
        .bind("o", eventId)
        .bind("at", utc(now))
        .bind("id", id)
        .bind("s", subject)
        .execute();
  }

  /**
   * Each attached principal's notice: its event id and status ({@code NOT_SENT}, {@code PENDING},
   * {@code DELIVERED}, {@code FAILED}, or {@code NO_RECIPIENT} when no recipient subscribes).
   */
  List<IncidentNotice> notices(String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT p.subject, p.outbox_id, p.notified_at,"
                        + " SUM(CASE WHEN d.status = 'DELIVERED' THEN 1 ELSE 0 END) AS delivered,"
                        + " SUM(CASE WHEN d.status = 'PENDING' THEN 1 ELSE 0 END) AS pending,"
                        + " COUNT(d.outbox_id) AS deliveries FROM incident_principals p"
                        + " LEFT JOIN webhook_deliveries d ON d.outbox_id = p.outbox_id"
                        + " WHERE p.incident_id = :id GROUP BY p.subject, p.outbox_id, p.notified_at"
                        + " ORDER BY p.subject LIMIT 10000")
                .bind("id", id)
                .map(
                    (rs, ctx) -> {
                      String status;
                      if (rs.getString("outbox_id") == null) {
                        status = "NOT_SENT";
                      } else if (rs.getLong("delivered") > 0) {
                        status = "DELIVERED";
                      } else if (rs.getLong("pending") > 0) {
                        status = "PENDING";
                      } else {
                        status = rs.getLong("deliveries") == 0 ? "NO_RECIPIENT" : "FAILED";
                      }
                      return new IncidentNotice(
                          rs.getString("subject"),
                          rs.getString("outbox_id"),
                          instant(rs, "notified_at"),
                          status);
                    })
                .list());
  }

  /** The tenants this module knows: with consent records, requests, recipients or incidents. */
  List<String> knownTenants() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT DISTINCT tenant FROM consent_state UNION SELECT DISTINCT tenant FROM"
                        + " dsr_requests UNION SELECT DISTINCT tenant FROM webhook_recipients UNION"
                        + " SELECT DISTINCT tenant FROM incidents")
                .mapTo(String.class)
                .list());
  }

  private static Incident incident(ResultSet rs, Instant now) throws SQLException {
    Regime regime = Regime.valueOf(rs.getString("regime"));
    IncidentStatus status = IncidentStatus.valueOf(rs.getString("status"));
    Instant detected = instant(rs, "detected_at");
    Instant authority = instant(rs, "authority_notified_at");
    Instant report = instant(rs, "report_filed_at");
    Instant principalsNotified = instant(rs, "principals_notified_at");
    long principals = rs.getLong("n_principals");
    long notices = rs.getLong("n_notices");
    String categories = rs.getString("categories");
    IncidentDetails details =
        new IncidentDetails(
            rs.getString("nature"),
            categories == null ? List.of() : Arrays.asList(categories.split(",")),
            (Long) rs.getObject("approx_principals", Long.class),
            (Long) rs.getObject("approx_records", Long.class),
            rs.getString("consequences"),
            rs.getString("measures"),
            rs.getString("contact"),
            instant(rs, "occurred_at"),
            rs.getString("location"),
            rs.getString("circumstances"),
            rs.getString("responsible"),
            rs.getString("remedial"),
            rs.getString("principal_advice"));
    return new Incident(
        rs.getString("id"),
        rs.getString("tenant"),
        regime,
        status,
        rs.getString("source"),
        detected,
        instant(rs, "recorded_at"),
        details,
        Incident.authorityDue(detected),
        authority,
        rs.getString("authority_reference"),
        detected,
        principalsNotified,
        Incident.reportDue(regime, detected),
        report,
        rs.getString("report_reference"),
        principals,
        notices,
        rs.getLong("n_delivered"),
        Incident.overdue(
            status,
            regime,
            detected,
            authority,
            report,
            principals,
            notices,
            principalsNotified,
            now));
  }

  private static void event(Handle h, String id, IncidentStatus status, String note, Instant at) {
    h.createUpdate(
            "INSERT INTO incident_events (incident_id, status, note, at) VALUES (:id, :s, :n, :at)")
        .bind("id", id)
        .bind("s", status.name())
        .bind("n", note == null || note.length() <= 2000 ? note : note.substring(0, 2000))
        .bind("at", utc(at))
        .execute();
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
