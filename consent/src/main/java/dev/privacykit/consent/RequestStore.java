package dev.privacykit.consent;

import dev.privacykit.policies.ProcessingHold;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The SQL of data-subject requests ({@code dsr_requests}, {@code dsr_events}): every statement
 * {@link DataSubjectRequests} runs is here. A transition locks the request's row, applies one
 * {@link Step} through {@link Changes}, and records the event, in one transaction. Thread-safe.
 */
final class RequestStore {
  private final Jdbi jdbi;
  private final String lock;
  private final ConsentLedger ledger;

  /** A store; {@code ledger} (or null) learns when a step changes a subject's holds. */
  RequestStore(Database database, ConsentLedger ledger) {
    this.jdbi = Jdbis.of(database);
    this.lock = database.dialect().lockRowsClause();
    this.ledger = ledger;
  }

  /** One step of a transition: checks the locked row, makes its changes, says the new status. */
  @FunctionalInterface
  interface Step {
    RequestStatus apply(RequestRow row, Changes changes, Instant now);
  }

  /** Work done in the same transaction once a step has applied (its audit entries, say). */
  interface After {
    void accept(org.jdbi.v3.core.Handle h, RequestRow row, RequestStatus next);
  }

  /** The changes a step may make to the locked request, inside the transition's transaction. */
  static final class Changes {
    private final Handle handle;
    private final String id;
    private String note;
    private RequestRow touchedSubject;
    private final ConsentLedger ledger;

    private Changes(Handle handle, String id, String note, ConsentLedger ledger) {
      this.handle = handle;
      this.ledger = ledger;
      this.id = id;
      this.note = note;
    }

    /** Replaces the event's note (a step that learns what it did as it runs). */
    void note(String note) {
      this.note = note;
    }

    /** Deletes the subject's stored identifiers in this transaction; returns how many. */
    int deleteIdentifiers(String tenant, String subject) {
      return handle
          .createUpdate("DELETE FROM consent_identifiers WHERE tenant = :t AND subject = :s")
          .bind("t", tenant)
          .bind("s", subject)
          .execute();
    }

    void pause(Instant now) {
      update("status = 'VERIFYING', paused_since = :v1", utc(now), null);
    }

    void resume(long pausedSeconds) {
      update("status = 'OPEN', paused_since = NULL, paused_seconds = :v1", pausedSeconds, null);
    }

    void denyUnverified(long pausedSeconds) {
      update(
          "status = 'DENIED', paused_since = NULL, paused_seconds = :v1, denial_reason = :v2",
          pausedSeconds,
          DenialReason.IDENTITY_NOT_VERIFIED.name());
    }

    void start() {
      update("status = 'IN_PROGRESS'", null, null);
    }

    void extend(int totalMonths, String reason) {
      update("extended_months = :v1, extension_reason = :v2", totalMonths, reason);
    }

    void fulfil(String note) {
      update("status = 'FULFILLED', outcome_note = :v1", note, null);
    }

    void deny(DenialReason reason, String note) {
      update(
          "status = 'DENIED', denial_reason = :v1, outcome_note = :v2, paused_since = NULL",
          reason.name(),
          note);
    }

    void expire() {
      update("status = 'EXPIRED'", null, null);
    }

    /** Places holds on the request's subject in this transaction; returns how many are new. */
    int placeHolds(RequestRow row, ProcessingHold.Kind kind, List<String> purposes, Instant at) {
      int placed =
          ProcessingHolds.place(handle, id, row.tenant(), row.subject(), kind, purposes, at);
      touched(row);
      return placed;
    }

    /** Sets when the request's holds stop holding; returns how many. */
    int liftHolds(RequestRow row, Instant liftsAt, String reason) {
      int lifted = ProcessingHolds.lift(handle, id, liftsAt, reason);
      touched(row);
      return lifted;
    }

    private void touched(RequestRow row) {
      if (ledger != null) {
        ledger.changedWithin(handle, row.tenant(), row.subject());
        touchedSubject = row;
      }
    }

    void withdraw() {
      update("status = 'WITHDRAWN', paused_since = NULL", null, null);
    }

    /** The transition's handle, for work that must commit with the step (recipient notices). */
    Handle handle() {
      return handle;
    }

    /** Queues a webhook event in the same transaction. */
    void announce(String tenant, String type, String payload, Instant now) {
      Outbox.add(handle, tenant, type, payload, now);
    }

    private void update(String assignments, Object first, Object second) {
      var update =
          handle.createUpdate("UPDATE dsr_requests SET " + assignments + " WHERE id = :id");
      if (assignments.contains(":v1")) {
        update.bind("v1", first);
      }
      if (assignments.contains(":v2")) {
        update.bind("v2", second);
      }
      update.bind("id", id).execute();
    }
  }

  /** Work done in the intake's transaction: its audit entry and any holds it places at once. */
  interface Intake {
    void accept(Handle h, RequestRow row, Changes changes);
  }

  /** Stores a new request and its first event. */
  void insert(
      String id,
      RequestIntake intake,
      RequestStatus status,
      Instant now,
      Instant due,
      Intake within) {
    RequestRow[] touched = new RequestRow[1];
    jdbi.useTransaction(
        h -> {
          h.createUpdate(
                  "INSERT INTO dsr_requests (id, tenant, subject, type, regime, status, received_at, due_at, paused_since,"
                      + " paused_seconds, extended_months, updated_at, purposes, filed_by) VALUES (:id, :t, :s, :type,"
                      + " :regime, :status, :at, :due, :paused, 0, 0, :at, :purposes, :by)")
              .bind("id", id)
              .bind("t", intake.tenant())
              .bind("s", intake.subject())
              .bind("type", intake.type().name())
              .bind("regime", intake.regime().name())
              .bind("status", status.name())
              .bind("at", utc(now))
              .bind("due", utc(due))
              .bind("paused", intake.identityVerified() ? null : utc(now))
              .bind(
                  "purposes",
                  intake.purposes().isEmpty() ? null : String.join(" ", intake.purposes()))
              .bind("by", intake.filedBy().name())
              .execute();
          event(h, id, status, "received", now);
          RequestRow row =
              h.createQuery("SELECT * FROM dsr_requests WHERE id = :id")
                  .bind("id", id)
                  .map((rs, ctx) -> RequestRow.of(rs))
                  .one();
          Changes changes = new Changes(h, id, null, ledger);
          within.accept(h, row, changes);
          touched[0] = changes.touchedSubject;
        });
    if (touched[0] != null) {
      ledger.changedLocally(touched[0].tenant(), touched[0].subject());
    }
  }

  /**
   * Locks the request, applies {@code step}, stamps it and records the event.
   *
   * @throws ConsentException {@code not-found} when there is no such request
   */
  void transition(String id, String note, Instant now, Step step, After after) {
    RequestRow[] touched = new RequestRow[1];
    jdbi.useTransaction(
        h -> {
          RequestRow row =
              h.createQuery("SELECT * FROM dsr_requests WHERE id = :id " + lock)
                  .bind("id", id)
                  .map((rs, ctx) -> RequestRow.of(rs))
                  .findOne()
                  .orElseThrow(() -> DataSubjectRequests.notFound(id));
          Changes changes = new Changes(h, id, note, ledger);
          RequestStatus next = step.apply(row, changes, now);
          h.createUpdate("UPDATE dsr_requests SET updated_at = :now WHERE id = :id")
              .bind("now", utc(now))
              .bind("id", id)
              .execute();
          event(h, id, next, changes.note, now);
          after.accept(h, row, next);
          touched[0] = changes.touchedSubject;
        });
    if (touched[0] != null) {
      ledger.changedLocally(touched[0].tenant(), touched[0].subject());
    }
  }

  Optional<RequestRow> find(String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM dsr_requests WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> RequestRow.of(rs))
                .findOne());
  }

  /** A tenant's requests that are not closed. */
  /** Requests not yet closed, of {@code tenant} or of every tenant when null. */
  List<RequestRow> unclosed(String tenant) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM dsr_requests WHERE status IN ('OPEN', 'VERIFYING', 'IN_PROGRESS')"
                        + (tenant == null ? "" : " AND tenant = :t"))
                .bindMap(tenant == null ? java.util.Map.of() : java.util.Map.of("t", tenant))
                .map((rs, ctx) -> RequestRow.of(rs))
                .list());
  }

  /** A subject's requests, newest first (at most 500: what a person follows). */
  List<RequestRow> ofSubject(String tenant, String subject) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM dsr_requests WHERE tenant = :t AND subject = :s"
                        + " ORDER BY received_at DESC, id LIMIT 500")
                .bind("t", tenant)
                .bind("s", subject)
                .map((rs, ctx) -> RequestRow.of(rs))
                .list());
  }

  /** Ids of requests waiting for identity verification since before {@code cutoff}. */
  List<String> verifyingSince(Instant cutoff) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id FROM dsr_requests WHERE status = 'VERIFYING' AND paused_since < :c")
                .bind("c", utc(cutoff))
                .mapTo(String.class)
                .list());
  }

  List<Map<String, Object>> history(String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT status, note, at FROM dsr_events WHERE request_id = :id ORDER BY id")
                .bind("id", id)
                .mapToMap()
                .list());
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

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
