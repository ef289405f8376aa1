package dev.privacykit.consent;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The audit entries of consent changes, made one unit with the change: the row is written in the
 * change's own transaction, then the entry is appended under an idempotency key derived from the
 * event id and the row removed. A process killed, a full queue or an outage between the two leaves
 * the row; {@link #deliverPending} (at open, on a retry of the change, and from the service's
 * scheduler) appends it later, and the key makes a second delivery a no-op: every committed change
 * gets exactly one entry.
 */
final class AuditOutbox {
  /** The prefix of the audit idempotency keys used here; HTTP callers may not use it. */
  static final String KEY_PREFIX = "privacykit:consent-event:";

  private final Jdbi jdbi;
  private final AuditLog audit;
  private final String actor;

  AuditOutbox(Database database, AuditLog audit, String actor) {
    this.jdbi = Jdbis.of(database);
    this.audit = audit;
    this.actor = actor;
  }

  /** Whether there is an audit log to deliver to (no rows are written without one). */
  boolean enabled() {
    return audit != null;
  }

  /** Adds the row for a new event, in the change's transaction. */
  void add(Handle h, ConsentEvent event, Instant at) {
    h.createUpdate(
            "INSERT INTO consent_audit_outbox (event_id, actor, created_at) VALUES (:e, :a, :at)")
        .bind("e", event.eventId())
        .bind("a", actor)
        .bind("at", at.atOffset(ZoneOffset.UTC))
        .execute();
  }

  /**
   * Appends the event's entry (as recorded in its row, so every process builds the same one), waits
   * for the commit, and removes the row. Nothing happens when no row is pending.
   *
   * @throws RuntimeException when the audit log cannot take it now: the row stays for later
   */
  void deliver(ConsentEvent event) {
    String rowActor =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT actor FROM consent_audit_outbox WHERE event_id = :e")
                    .bind("e", event.eventId())
                    .mapTo(String.class)
                    .findOne()
                    .orElse(null));
    if (rowActor != null) {
      deliver(event, rowActor);
    }
  }

  private void deliver(ConsentEvent event, String rowActor) {
    audit.append(entry(event, rowActor), KEY_PREFIX + event.eventId()).join();
    jdbi.useHandle(
        h ->
            h.createUpdate("DELETE FROM consent_audit_outbox WHERE event_id = :e")
                .bind("e", event.eventId())
                .execute());
  }

  /**
   * Delivers the pending rows at least {@code minAge} old, oldest first, at most 500; returns how
   * many were delivered.
   *
   * @throws RuntimeException when the audit log cannot take them now (they stay pending)
   */
  int deliverPending(Duration minAge) {
    if (audit == null) {
      return 0;
    }
    Instant before = Instant.now().minus(minAge);
    record Pending(ConsentEvent event, String actor) {}
    List<Pending> pending =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT o.actor AS outbox_actor, e.* FROM consent_audit_outbox o"
                            + " JOIN consent_events e ON e.event_id = o.event_id"
                            + " WHERE o.created_at <= :before ORDER BY o.created_at LIMIT 500")
                    .bind("before", before.atOffset(ZoneOffset.UTC))
                    .map(
                        (rs, ctx) ->
                            new Pending(LedgerStore.event(rs), rs.getString("outbox_actor")))
                    .list());
    for (Pending p : pending) {
      deliver(p.event(), p.actor());
    }
    return pending.size();
  }

  /** The entry of a consent change: no body; the request id names the event, which holds all. */
  static AuditEntry entry(ConsentEvent event, String actor) {
    Action action =
        switch (event.state()) {
          case GIVEN -> Action.CONSENT_GIVEN;
          case RENEWED -> Action.CONSENT_RENEWED;
          case REFUSED -> Action.CONSENT_REFUSED;
          case WITHDRAWN -> Action.CONSENT_WITHDRAWN;
          default -> Action.CONSENT_EXPIRED;
        };
    return AuditEntry.builder(event.tenant(), actor, action)
        .subject(event.subject())
        .purpose(event.purpose())
        .legalBasis(event.lawfulBasis())
        .requestId(event.eventId())
        .build();
  }
}
