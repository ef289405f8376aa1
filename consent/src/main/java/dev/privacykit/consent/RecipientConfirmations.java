package dev.privacykit.consent;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The notices that tell the recipients of the policy of a rectification, erasure or restriction
 * (GDPR Art. 19; DPDP Act s.8(7)(b), s.12), and their confirmations. {@link DataSubjectRequests}
 * queues the notices in the step's transaction; this reads them (status from the webhook delivery,
 * {@code overdue} against the configured period) and records a recipient's confirmation.
 *
 * <p>A confirmation is bound to its tenant, request and recipient: the caller names all three and a
 * row exists only for a recipient that was told. The first confirmation stands: the same reference
 * again is answered with the same row (a retried call is safe); another reference is a conflict.
 * Each confirmation is one audit entry, owed in its transaction.
 *
 * <p>Thread-safe; a confirmation locks its row.
 */
public final class RecipientConfirmations {
  private final Jdbi jdbi;
  private final String lock;
  private final DsrConfig config;
  private final AuditOutbox audit;

  private RecipientConfirmations(Database database, DsrConfig config) {
    this.jdbi = Jdbis.of(database);
    this.lock = database.dialect().lockRowsClause();
    this.config = config;
    this.audit = new AuditOutbox(database, config.audit);
  }

  /** The notices of {@code requests} (same configuration: policy, clock, periods, audit log). */
  public static RecipientConfirmations open(Database database, DataSubjectRequests requests) {
    return new RecipientConfirmations(database, requests.config);
  }

  /** The notices of a request of {@code tenant}, by recipient id; empty for another tenant's. */
  public List<RecipientNotice> of(String tenant, String requestId) {
    Instant now = now();
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    SELECT + " WHERE n.tenant = :t AND n.request_id = :id ORDER BY n.recipient")
                .bind("t", tenant)
                .bind("id", requestId)
                .map((rs, ctx) -> notice(rs, now))
                .list());
  }

  /**
   * The ids of the tenant's requests with a recipient confirmation overdue now, the longest overdue
   * first (at most 500).
   */
  public List<String> overdueRequests(String tenant) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT request_id, MIN(due_at) AS due FROM dsr_recipient_notices WHERE tenant"
                        + " = :t AND confirmed_at IS NULL AND due_at < :now GROUP BY request_id"
                        + " ORDER BY due, request_id LIMIT 500")
                .bind("t", tenant)
                .bind("now", now().atOffset(ZoneOffset.UTC))
                .map((rs, ctx) -> rs.getString("request_id"))
                .list());
  }

  /** The recipient's name in the policy, or its id when the policy no longer lists it. */
  public String name(String recipient) {
    if (config.policy == null) {
      return recipient;
    }
    var known = config.policy.get().recipients().get(recipient);
    return known == null ? recipient : known.name();
  }

  /**
   * Records that {@code recipient} did what the notice of request {@code requestId} asked, with its
   * {@code reference} (1 to 256 printable characters).
   *
   * @throws ConsentException {@code invalid-field} naming {@code reference}; {@code not-found} when
   *     the tenant has no such request or the recipient was not told of it; {@code conflict} when
   *     it was confirmed before with another reference
   */
  public RecipientNotice confirm(
      String tenant, String requestId, String recipient, String reference) {
    if (reference == null
        || reference.isBlank()
        || reference.length() > 256
        || reference.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD,
          "reference",
          "reference must be 1 to 256 printable characters");
    }
    Instant now = now();
    String[] owed = new String[1];
    jdbi.useTransaction(
        h -> {
          var row =
              h.createQuery(
                      "SELECT confirmed_at, confirmation_reference FROM dsr_recipient_notices"
                          + " WHERE tenant = :t AND request_id = :id AND recipient = :p "
                          + lock)
                  .bind("t", tenant)
                  .bind("id", requestId)
                  .bind("p", recipient)
                  .mapToMap()
                  .findOne()
                  .orElseThrow(
                      () ->
                          new ConsentException(
                              ConsentException.Kind.NOT_FOUND,
                              "request " + requestId + " has no notice to " + recipient));
          if (row.get("confirmed_at") != null) {
            if (reference.equals(row.get("confirmation_reference"))) {
              return; // the same confirmation again: a retry, answered with the row as it is
            }
            throw new ConsentException(
                ConsentException.Kind.CONFLICT,
                "reference",
                "the recipient confirmed this request before, with another reference");
          }
          h.createUpdate(
                  "UPDATE dsr_recipient_notices SET confirmed_at = :at, confirmation_reference = :ref"
                      + " WHERE request_id = :id AND recipient = :p")
              .bind("at", now.atOffset(ZoneOffset.UTC))
              .bind("ref", reference)
              .bind("id", requestId)
              .bind("p", recipient)
              .execute();
          h.createUpdate(
                  "INSERT INTO dsr_events (request_id, status, note, at) SELECT id, status, :n, :at"
                      + " FROM dsr_requests WHERE id = :id")
              .bind("n", "recipient " + recipient + " confirmed")
              .bind("at", now.atOffset(ZoneOffset.UTC))
              .bind("id", requestId)
              .execute();
          if (audit.enabled()) {
            owed[0] =
                audit.add(
                    h,
                    AuditEntry.builder(tenant, "recipient:" + recipient, Action.DSR_UPDATED)
                        .subject(
                            h.createQuery("SELECT subject FROM dsr_requests WHERE id = :id")
                                .bind("id", requestId)
                                .mapTo(String.class)
                                .one())
                        .requestId(requestId)
                        .build(),
                    AuditOutbox.requestKey(),
                    now);
          }
        });
    if (owed[0] != null) {
      audit.deliverOwed(java.util.List.of(owed[0]), "a confirmation's");
    }
    return find(tenant, requestId, recipient).orElseThrow();
  }

  private Optional<RecipientNotice> find(String tenant, String requestId, String recipient) {
    Instant now = now();
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    SELECT + " WHERE n.tenant = :t AND n.request_id = :id AND n.recipient = :p")
                .bind("t", tenant)
                .bind("id", requestId)
                .bind("p", recipient)
                .map((rs, ctx) -> notice(rs, now))
                .findOne());
  }

  private static final String SELECT =
      "SELECT n.*, d.status AS delivery, d.delivered_at, r.active AS webhook_active"
          + " FROM dsr_recipient_notices n"
          + " LEFT JOIN webhook_deliveries d ON d.outbox_id = n.outbox_id"
          + " AND d.recipient_id = n.webhook_id"
          + " LEFT JOIN webhook_recipients r ON r.id = n.webhook_id";

  private static RecipientNotice notice(ResultSet rs, Instant now) throws SQLException {
    Instant confirmed = instant(rs, "confirmed_at");
    Instant due = instant(rs, "due_at");
    String delivery = rs.getString("delivery");
    String status;
    if (confirmed != null) {
      status = "confirmed";
    } else if (rs.getString("outbox_id") == null) {
      status = "no_endpoint";
    } else if ("DELIVERED".equals(delivery)) {
      status = "delivered";
    } else if ("FAILED".equals(delivery) || !rs.getBoolean("webhook_active")) {
      status = "failed"; // given up, or removed before it was delivered: tell it by hand
    } else {
      status = "sent";
    }
    String purposes = rs.getString("purposes");
    return new RecipientNotice(
        rs.getString("request_id"),
        rs.getString("recipient"),
        rs.getString("event_type"),
        purposes == null || purposes.isEmpty() ? List.of() : Arrays.asList(purposes.split(" ")),
        status,
        rs.getString("outbox_id"),
        rs.getString("outbox_id") == null ? null : instant(rs, "created_at"),
        instant(rs, "delivered_at"),
        due,
        confirmed,
        rs.getString("confirmation_reference"),
        confirmed == null && now.isAfter(due));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private Instant now() {
    return config.clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
