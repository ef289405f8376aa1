package dev.privacykit.consent;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.Outcome;
import dev.privacykit.policies.Regime;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.internal.Jdbis;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Data-subject requests (access, rectification, erasure, restriction, portability, objection,
 * nomination, grievance) carried to their legal deadline: intake with identity-verification state,
 * regime-aware due dates that pause while identity is unverified, extension with a recorded reason
 * (GDPR), statuses with a history, denial with a reason code, and a query for what is due soon or
 * overdue. Erasure shreds the subject's key. Every transition is an audit entry.
 *
 * <p>Thread-safe; transitions lock the request's row.
 */
public final class DataSubjectRequests {
  private final Jdbi jdbi;
  private final String lock;
  private final DsrConfig config;

  private DataSubjectRequests(Database database, DsrConfig config) {
    this.jdbi = Jdbis.of(database);
    this.lock = database.dialect().lockRowsClause();
    this.config = config;
  }

  /** Opens the requests on a migrated database. */
  public static DataSubjectRequests open(Database database, Consumer<DsrConfig> configure) {
    DsrConfig config = new DsrConfig();
    configure.accept(config);
    return new DataSubjectRequests(database, config);
  }

  /**
   * Takes in a request. When identity is not yet verified it starts in {@link
   * RequestStatus#VERIFYING} and its clock is paused from the start.
   */
  public DataSubjectRequest submit(
      String tenant, String subject, RequestType type, Regime regime, boolean identityVerified) {
    check("tenant", tenant);
    check("subject", subject);
    Instant now = now();
    String id = UUID.randomUUID().toString();
    RequestStatus status = identityVerified ? RequestStatus.OPEN : RequestStatus.VERIFYING;
    jdbi.useTransaction(
        h -> {
          h.createUpdate(
                  "INSERT INTO dsr_requests (id, tenant, subject, type, regime, status, received_at, due_at, paused_since,"
                      + " paused_seconds, extended_months, updated_at) VALUES (:id, :t, :s, :type, :regime, :status, :at, :due,"
                      + " :paused, 0, 0, :at)")
              .bind("id", id)
              .bind("t", tenant)
              .bind("s", subject)
              .bind("type", type.name())
              .bind("regime", regime.name())
              .bind("status", status.name())
              .bind("at", utc(now))
              .bind("due", utc(DueDates.due(regime, now, 0, 0)))
              .bind("paused", identityVerified ? null : utc(now))
              .execute();
          event(h, id, status, "received", now);
        });
    DataSubjectRequest request = get(id).orElseThrow();
    audit(request, Action.DSR_RECEIVED, Outcome.SUCCESS);
    return request;
  }

  /** Asks the requester to prove their identity: the clock pauses until they do. */
  public DataSubjectRequest requestVerification(String id) {
    return transition(
        id,
        "verification requested",
        (row, h, now) -> {
          require(row, RequestStatus.OPEN, RequestStatus.IN_PROGRESS);
          h.createUpdate(
                  "UPDATE dsr_requests SET status = 'VERIFYING', paused_since = :now WHERE id = :id")
              .bind("now", utc(now))
              .bind("id", id)
              .execute();
          return RequestStatus.VERIFYING;
        });
  }

  /**
   * Records the outcome of identity verification: verified resumes the clock (the paused time is
   * added to the due date); not verified denies the request with {@link
   * DenialReason#IDENTITY_NOT_VERIFIED}.
   */
  public DataSubjectRequest verifyIdentity(String id, boolean verified) {
    return transition(
        id,
        verified ? "identity verified" : "identity not verified",
        (row, h, now) -> {
          require(row, RequestStatus.VERIFYING);
          long paused =
              row.paused + Math.max(0, Duration.between(row.pausedSince, now).getSeconds());
          if (verified) {
            h.createUpdate(
                    "UPDATE dsr_requests SET status = 'OPEN', paused_since = NULL, paused_seconds = :p WHERE id = :id")
                .bind("p", paused)
                .bind("id", id)
                .execute();
            return RequestStatus.OPEN;
          }
          h.createUpdate(
                  "UPDATE dsr_requests SET status = 'DENIED', paused_since = NULL, paused_seconds = :p, denial_reason = :r WHERE id = :id")
              .bind("p", paused)
              .bind("r", DenialReason.IDENTITY_NOT_VERIFIED.name())
              .bind("id", id)
              .execute();
          return RequestStatus.DENIED;
        });
  }

  /** Starts work on an open request. */
  public DataSubjectRequest start(String id) {
    return transition(
        id,
        "work started",
        (row, h, now) -> {
          require(row, RequestStatus.OPEN);
          h.createUpdate("UPDATE dsr_requests SET status = 'IN_PROGRESS' WHERE id = :id")
              .bind("id", id)
              .execute();
          return RequestStatus.IN_PROGRESS;
        });
  }

  /**
   * Extends the deadline by {@code months} (GDPR Art. 12(3): at most two months in all, with the
   * reason recorded and told to the requester).
   *
   * @throws ConsentException {@code extension-not-allowed} under DPDP, past two months, or without
   *     a reason
   */
  public DataSubjectRequest extend(String id, int months, String reason) {
    if (reason == null || reason.isBlank() || reason.length() > 1000) {
      throw new ConsentException(
          "extension-not-allowed", "an extension needs a reason of 1 to 1000 characters");
    }
    return transition(
        id,
        "extended by " + months + " month(s): " + reason,
        (row, h, now) -> {
          requireOpen(row);
          if (row.regime != Regime.GDPR) {
            throw new ConsentException(
                "extension-not-allowed", "the DPDP deadline cannot be extended");
          }
          if (months < 1 || row.extended + months > 2) {
            throw new ConsentException(
                "extension-not-allowed", "GDPR allows at most two months of extension in all");
          }
          h.createUpdate(
                  "UPDATE dsr_requests SET extended_months = :m, extension_reason = :r WHERE id = :id")
              .bind("m", row.extended + months)
              .bind("r", reason)
              .bind("id", id)
              .execute();
          return row.status;
        });
  }

  /** Marks the request done, with a note of what was done. */
  public DataSubjectRequest fulfil(String id, String note) {
    DataSubjectRequest done =
        transition(
            id,
            note,
            (row, h, now) -> {
              require(row, RequestStatus.OPEN, RequestStatus.IN_PROGRESS);
              h.createUpdate(
                      "UPDATE dsr_requests SET status = 'FULFILLED', outcome_note = :n WHERE id = :id")
                  .bind("n", note)
                  .bind("id", id)
                  .execute();
              String type =
                  row.type == RequestType.ERASURE
                      ? Outbox.SUBJECT_ERASED
                      : row.type == RequestType.RESTRICTION ? Outbox.PROCESSING_RESTRICTED : null;
              if (type != null) {
                Outbox.add(
                    h,
                    row.tenant,
                    type,
                    Outbox.payload(type, row.tenant, row.subject, null, row.id, now),
                    now);
              }
              return RequestStatus.FULFILLED;
            });
    return done;
  }

  /** Refuses the request with a reason code (and a note for the requester). */
  public DataSubjectRequest deny(String id, DenialReason reason, String note) {
    return transition(
        id,
        reason + (note == null ? "" : ": " + note),
        (row, h, now) -> {
          requireOpen(row);
          h.createUpdate(
                  "UPDATE dsr_requests SET status = 'DENIED', denial_reason = :r, outcome_note = :n, paused_since = NULL WHERE id = :id")
              .bind("r", reason.name())
              .bind("n", note)
              .bind("id", id)
              .execute();
          return RequestStatus.DENIED;
        });
  }

  /**
   * Carries out an erasure request: shreds the subject's key, so every copy of their encrypted data
   * (fields, backups, audit bodies) becomes unreadable, records what was erased, and fulfils the
   * request. Consent records stay as proof, under the pseudonymous reference.
   */
  public DataSubjectRequest erase(String id) {
    DataSubjectRequest request = get(id).orElseThrow(() -> notFound(id));
    if (request.type() != RequestType.ERASURE) {
      throw new ConsentException(
          "invalid-transition", "request " + id + " is not an erasure request");
    }
    if (config.subjectKeys == null) {
      throw new IllegalStateException("erasure needs SubjectKeys in the configuration");
    }
    boolean shredded = config.subjectKeys.shred(request.tenant(), request.subject());
    int identifiers =
        jdbi.withHandle(
            h ->
                h.createUpdate("DELETE FROM consent_identifiers WHERE tenant = :t AND subject = :s")
                    .bind("t", request.tenant())
                    .bind("s", request.subject())
                    .execute());
    String note =
        (shredded ? "subject key shredded" : "no subject key existed")
            + "; "
            + identifiers
            + " identifier(s) removed"
            + "; encrypted personal data, backups and audit bodies are unreadable; consent records kept as proof";
    DataSubjectRequest done = fulfil(id, note);
    if (config.audit != null) {
      config
          .audit
          .append(
              AuditEntry.builder(done.tenant(), config.actor, Action.ERASE)
                  .subject(done.subject())
                  .requestId(done.id())
                  .outcome(Outcome.SUCCESS)
                  .build())
          .join();
    }
    return done;
  }

  /**
   * Writes the access package of an access or portability request: the subject's current consents,
   * their full history, and the audit log's subject access report with the checkpoint it was
   * computed against. JSON is one document; CSV has a {@code section} column.
   */
  public void writeAccessPackage(
      String id, dev.privacykit.audit.ExportFormat format, java.io.Writer out)
      throws java.io.IOException {
    DataSubjectRequest request = get(id).orElseThrow(() -> notFound(id));
    if (request.type() != RequestType.ACCESS && request.type() != RequestType.PORTABILITY) {
      throw new ConsentException(
          "invalid-transition", "request " + id + " is not an access or portability request");
    }
    if (config.ledger == null || config.audit == null) {
      throw new IllegalStateException(
          "access packages need the consent ledger and the audit log in the configuration");
    }
    AccessPackage.write(request, config.ledger, config.audit, format, out, now());
  }

  /**
   * Open requests of a tenant due within {@code window} from now (overdue ones included), soonest
   * first.
   */
  public List<DataSubjectRequest> dueWithin(String tenant, Duration window) {
    Instant limit = now().plus(window);
    return jdbi
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT * FROM dsr_requests WHERE tenant = :t AND status IN ('OPEN', 'VERIFYING', 'IN_PROGRESS')")
                    .bind("t", tenant)
                    .map((rs, ctx) -> Row.of(rs))
                    .list())
        .stream()
        .map(this::view)
        .filter(r -> !r.dueAt().isAfter(limit))
        .sorted(Comparator.comparing(DataSubjectRequest::dueAt))
        .toList();
  }

  /** Expires requests that have waited for identity verification longer than {@code maxWait}. */
  public int expireUnverified(Duration maxWait) {
    Instant cutoff = now().minus(maxWait);
    List<String> stale =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT id FROM dsr_requests WHERE status = 'VERIFYING' AND paused_since < :c")
                    .bind("c", utc(cutoff))
                    .mapTo(String.class)
                    .list());
    for (String id : stale) {
      transition(
          id,
          "identity not verified within " + maxWait.toDays() + " days",
          (row, h, now) -> {
            require(row, RequestStatus.VERIFYING);
            h.createUpdate("UPDATE dsr_requests SET status = 'EXPIRED' WHERE id = :id")
                .bind("id", id)
                .execute();
            return RequestStatus.EXPIRED;
          });
    }
    return stale.size();
  }

  /** The request with this id, due date as of now. */
  public Optional<DataSubjectRequest> get(String id) {
    return jdbi.withHandle(
            h ->
                h.createQuery("SELECT * FROM dsr_requests WHERE id = :id")
                    .bind("id", id)
                    .map((rs, ctx) -> Row.of(rs))
                    .findOne())
        .map(this::view);
  }

  /** The request's history: status and note per transition, oldest first. */
  public List<Map<String, Object>> history(String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT status, note, at FROM dsr_events WHERE request_id = :id ORDER BY id")
                .bind("id", id)
                .mapToMap()
                .list());
  }

  @FunctionalInterface
  private interface Step {
    RequestStatus apply(Row row, Handle h, Instant now);
  }

  private DataSubjectRequest transition(String id, String note, Step step) {
    Instant now = now();
    jdbi.useTransaction(
        h -> {
          Row row =
              h.createQuery("SELECT * FROM dsr_requests WHERE id = :id " + lock)
                  .bind("id", id)
                  .map((rs, ctx) -> Row.of(rs))
                  .findOne()
                  .orElseThrow(() -> notFound(id));
          RequestStatus next = step.apply(row, h, now);
          h.createUpdate("UPDATE dsr_requests SET updated_at = :now WHERE id = :id")
              .bind("now", utc(now))
              .bind("id", id)
              .execute();
          event(h, id, next, note, now);
        });
    DataSubjectRequest request = get(id).orElseThrow();
    Action action =
        switch (request.status()) {
          case FULFILLED -> Action.DSR_FULFILLED;
          case DENIED, EXPIRED -> Action.DSR_DENIED;
          default -> Action.DSR_UPDATED;
        };
    audit(
        request,
        action,
        request.status() == RequestStatus.DENIED ? Outcome.DENIED : Outcome.SUCCESS);
    return request;
  }

  private DataSubjectRequest view(Row row) {
    long paused =
        row.paused
            + (row.pausedSince == null
                ? 0
                : Math.max(0, Duration.between(row.pausedSince, now()).getSeconds()));
    return new DataSubjectRequest(
        row.id,
        row.tenant,
        row.subject,
        row.type,
        row.regime,
        row.status,
        row.received,
        DueDates.due(row.regime, row.received, row.extended, paused),
        row.extended,
        row.denial,
        row.note);
  }

  private void audit(DataSubjectRequest request, Action action, Outcome outcome) {
    if (config.audit == null) {
      return;
    }
    config
        .audit
        .append(
            AuditEntry.builder(request.tenant(), config.actor, action)
                .subject(request.subject())
                .requestId(request.id())
                .outcome(outcome)
                .body(
                    "{\"type\":\"" + request.type() + "\",\"status\":\"" + request.status() + "\"}")
                .build())
        .join();
  }

  private static void require(Row row, RequestStatus... allowed) {
    for (RequestStatus status : allowed) {
      if (row.status == status) {
        return;
      }
    }
    throw new ConsentException(
        "invalid-transition",
        "request "
            + row.id
            + " is "
            + row.status
            + "; that step needs it to be "
            + java.util.Arrays.toString(allowed));
  }

  private static void requireOpen(Row row) {
    if (row.status.isClosed()) {
      throw new ConsentException(
          "invalid-transition", "request " + row.id + " is " + row.status + " and closed");
    }
  }

  private static void event(Handle h, String id, RequestStatus status, String note, Instant at) {
    h.createUpdate(
            "INSERT INTO dsr_events (request_id, status, note, at) VALUES (:id, :s, :n, :at)")
        .bind("id", id)
        .bind("s", status.name())
        .bind("n", note)
        .bind("at", utc(at))
        .execute();
  }

  private Instant now() {
    return config.clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static ConsentException notFound(String id) {
    return new ConsentException("not-found", "no data-subject request " + id);
  }

  private static void check(String name, String value) {
    if (value == null || value.isBlank() || value.length() > 256) {
      throw new ConsentException("invalid-field", name + " must be 1 to 256 characters");
    }
  }

  /** A stored request row. */
  private record Row(
      String id,
      String tenant,
      String subject,
      RequestType type,
      Regime regime,
      RequestStatus status,
      Instant received,
      Instant pausedSince,
      long paused,
      int extended,
      DenialReason denial,
      String note) {
    static Row of(java.sql.ResultSet rs) throws java.sql.SQLException {
      OffsetDateTime pausedSince = rs.getObject("paused_since", OffsetDateTime.class);
      String denial = rs.getString("denial_reason");
      return new Row(
          rs.getString("id"),
          rs.getString("tenant"),
          rs.getString("subject"),
          RequestType.valueOf(rs.getString("type")),
          Regime.valueOf(rs.getString("regime")),
          RequestStatus.valueOf(rs.getString("status")),
          rs.getObject("received_at", OffsetDateTime.class).toInstant(),
          pausedSince == null ? null : pausedSince.toInstant(),
          rs.getLong("paused_seconds"),
          rs.getInt("extended_months"),
          denial == null ? null : DenialReason.valueOf(denial),
          rs.getString("outcome_note"));
    }
  }
}
