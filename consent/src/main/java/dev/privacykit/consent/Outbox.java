package dev.privacykit.consent;

import dev.privacykit.audit.ExportText;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The transactional outbox: an event for host backends is written in the same transaction as the
 * change it announces, with one pending delivery per active recipient subscribed to its type, so a
 * committed change is always announced and an announced change was always committed.
 */
final class Outbox {
  /** A consent was withdrawn (or refused by a GPC signal). */
  static final String CONSENT_WITHDRAWN = "consent.withdrawn";

  /** A subject was erased (key shredded). */
  static final String SUBJECT_ERASED = "subject.erased";

  /** A subject's data was rectified (GDPR Art. 16, DPDP Act s.12(2)). */
  static final String SUBJECT_RECTIFIED = "subject.rectified";

  /** Processing of a subject's data must be restricted. */
  static final String PROCESSING_RESTRICTED = "processing.restricted";

  /** A subject's objection stops processing for a purpose (GDPR Art. 21). */
  static final String PROCESSING_OBJECTED = "processing.objected";

  /**
   * A restriction is about to be lifted: the host tells the subject before it is (GDPR Art. 18(3)).
   */
  static final String RESTRICTION_LIFTING = "restriction.lifting";

  /**
   * A subject's data is due for erasure under the retention rules: the host tells the principal at
   * least 48 hours before (DPDP Rules 2025, rule 8(2)).
   */
  static final String RETENTION_NOTICE = "retention.notice";

  /** The data a subject gave for a purpose is past its retention: the host deletes it. */
  static final String RETENTION_ERASE = "retention.erase";

  /** The data a subject gave for a purpose is past its retention: the host anonymises it. */
  static final String RETENTION_ANONYMISE = "retention.anonymise";

  /**
   * A principal is affected by a personal data breach: the host tells them (GDPR Art. 34, DPDP
   * Rules 2025 rule 7(1)); the reference is the incident, whose notice fields the host reads.
   */
  static final String BREACH_NOTICE = "breach.notice";

  static final List<String> TYPES =
      List.of(
          CONSENT_WITHDRAWN,
          SUBJECT_ERASED,
          PROCESSING_RESTRICTED,
          PROCESSING_OBJECTED,
          RESTRICTION_LIFTING,
          RETENTION_NOTICE,
          RETENTION_ERASE,
          RETENTION_ANONYMISE,
          BREACH_NOTICE,
          SUBJECT_RECTIFIED,
          ManagerChanges.TYPE);

  private Outbox() {}

  /** Inserts the event itself (its deliveries are the caller's); returns its id. */
  private static String event(Handle h, String tenant, String type, String payload, Instant now) {
    String id = UUID.randomUUID().toString();
    h.createUpdate(
            "INSERT INTO webhook_outbox (id, tenant, type, payload, created_at) VALUES (:id, :t, :type, :p, :at)")
        .bind("id", id)
        .bind("t", tenant)
        .bind("type", type)
        .bind("p", payload)
        .bind("at", now.atOffset(ZoneOffset.UTC))
        .execute();
    return id;
  }

  /** Adds an event and its pending deliveries in the caller's transaction; returns its id. */
  static String add(Handle h, String tenant, String type, String payload, Instant now) {
    String id = event(h, tenant, type, payload, now);
    h.createUpdate(
            "INSERT INTO webhook_deliveries (outbox_id, recipient_id, status, attempts, next_attempt_at)"
                + " SELECT :id, r.id, 'PENDING', 0, :at FROM webhook_recipients r WHERE r.tenant = :t AND r.active"
                + " AND (',' || r.events || ',') LIKE :pattern"
                // A recipient of the policy hears of these only for its own requests (one each).
                + (RecipientLinks.NOTICE_TYPES.contains(type) ? RecipientLinks.NOT_LINKED : ""))
        .bind("id", id)
        .bind("t", tenant)
        .bind("at", now.atOffset(ZoneOffset.UTC))
        .bind("pattern", "%," + type + ",%")
        .execute();
    return id;
  }

  /**
   * A payload with one more time field: {@code due_at} of a retention notice (when erasure comes),
   * {@code collected_before} of a purpose's retention (what to delete).
   */
  static String payload(
      String type,
      String tenant,
      String subject,
      String purpose,
      String reference,
      Instant at,
      String field,
      Instant value) {
    String base = payload(type, tenant, subject, purpose, reference, at);
    return base.substring(0, base.length() - 1)
        + ",\""
        + field
        + "\":"
        + ExportText.json(value.toString())
        + "}";
  }

  /**
   * Adds an event for one webhook only (a recipient of the policy told of its own request) in the
   * caller's transaction; returns its id.
   */
  static String addFor(
      Handle h, String tenant, String webhookId, String type, String payload, Instant now) {
    String id = event(h, tenant, type, payload, now);
    h.createUpdate(
            "INSERT INTO webhook_deliveries (outbox_id, recipient_id, status, attempts, next_attempt_at)"
                + " VALUES (:id, :r, 'PENDING', 0, :at)")
        .bind("id", id)
        .bind("r", webhookId)
        .bind("at", now.atOffset(ZoneOffset.UTC))
        .execute();
    return id;
  }

  /** A JSON payload; values are ids, codes and times, escaped all the same. */
  static String payload(
      String type, String tenant, String subject, String purpose, String reference, Instant at) {
    return "{\"type\":"
        + ExportText.json(type)
        + ",\"tenant\":"
        + ExportText.json(tenant)
        + ",\"subject\":"
        + ExportText.json(subject)
        + ",\"purpose\":"
        + ExportText.json(purpose)
        + ",\"reference\":"
        + ExportText.json(reference)
        + ",\"occurred_at\":"
        + ExportText.json(at.toString())
        + "}";
  }
}
