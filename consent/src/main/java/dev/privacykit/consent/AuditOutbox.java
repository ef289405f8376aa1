package dev.privacykit.consent;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditRouter;
import dev.privacykit.audit.Outcome;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The audit entries this module owes the log, made one unit with the change they record: the entry
 * is written in the change's own transaction, then appended under its idempotency key and the row
 * removed. A process killed, a full queue or an outage between the two leaves the row; {@link
 * #deliverPending} (at open, on a retried consent change, and from the service's scheduler) appends
 * it later, and the key makes a second delivery a no-op: every committed change gets exactly one
 * entry.
 */
final class AuditOutbox {
  /** The prefix of every idempotency key used here; HTTP callers may not use it. */
  static final String KEY_PREFIX = "privacykit:";

  private final Jdbi jdbi;
  private final AuditRouter audit;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuditOutbox.class);

  AuditOutbox(Database database, AuditRouter audit) {
    this.jdbi = Jdbis.of(database);
    this.audit = audit;
  }

  /** Whether there is an audit log to deliver to (no rows are written without one). */
  boolean enabled() {
    return audit != null;
  }

  /** Adds the entry under {@code key} in the change's transaction; returns the key. */
  String add(Handle h, AuditEntry entry, String key, Instant at) {
    h.createUpdate(
            "INSERT INTO consent_audit_outbox (idempotency_key, tenant, actor, action, subject,"
                + " purpose, legal_basis, request_id, outcome, body, created_at, actor_role) VALUES"
                + " (:k, :t, :actor, :action, :s, :p, :b, :r, :o, :body, :at, :role)")
        .bind("k", key)
        .bind("t", entry.tenant())
        .bind("actor", entry.actor())
        .bind("action", entry.action().name())
        .bind("s", entry.subject())
        .bind("p", entry.purpose())
        .bind("b", entry.legalBasis())
        .bind("r", entry.requestId())
        .bind("o", entry.outcome().name())
        .bind("body", entry.body())
        .bind("at", at.atOffset(ZoneOffset.UTC))
        .bind("role", entry.actorRole())
        .execute();
    return key;
  }

  /**
   * Appends the entry stored under {@code key}, waits for its commit, and removes the row. Nothing
   * happens when no row is pending.
   *
   * @throws RuntimeException when the audit log cannot take it now: the row stays for later
   */
  void deliver(String key) {
    find(key).ifPresent(entry -> deliver(key, entry));
  }

  /**
   * Appends each owed entry now, once; one the log cannot take (a full queue, an outage) stays owed
   * and {@link #deliverPending} appends it later. The warning names {@code what} owed it, never a
   * person.
   */
  void deliverOwed(java.util.List<String> keys, String what) {
    for (String key : keys) {
      try {
        deliver(key);
      } catch (RuntimeException e) {
        LOG.warn(
            "{} audit entry is pending ({}); it is delivered later",
            what,
            e.getClass().getSimpleName());
      }
    }
  }

  private void deliver(String key, AuditEntry entry) {
    audit.forTenant(entry.tenant()).append(entry, key).join();
    jdbi.useHandle(
        h ->
            h.createUpdate("DELETE FROM consent_audit_outbox WHERE idempotency_key = :k")
                .bind("k", key)
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
    record Owed(String key, AuditEntry entry) {}
    List<Owed> owed =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT * FROM consent_audit_outbox WHERE created_at <= :before"
                            + " ORDER BY created_at LIMIT 500")
                    .bind("before", Instant.now().minus(minAge).atOffset(ZoneOffset.UTC))
                    .map((rs, ctx) -> new Owed(rs.getString("idempotency_key"), entry(rs)))
                    .list());
    for (Owed o : owed) {
      deliver(o.key(), o.entry());
    }
    return owed.size();
  }

  private Optional<AuditEntry> find(String key) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM consent_audit_outbox WHERE idempotency_key = :k")
                .bind("k", key)
                .map((rs, ctx) -> entry(rs))
                .findOne());
  }

  private static AuditEntry entry(java.sql.ResultSet rs) throws java.sql.SQLException {
    return AuditEntry.builder(
            rs.getString("tenant"), rs.getString("actor"), Action.valueOf(rs.getString("action")))
        .actorRole(rs.getString("actor_role"))
        .subject(rs.getString("subject"))
        .purpose(rs.getString("purpose"))
        .legalBasis(rs.getString("legal_basis"))
        .requestId(rs.getString("request_id"))
        .outcome(Outcome.valueOf(rs.getString("outcome")))
        .body(rs.getString("body"))
        .build();
  }

  /** The entry of a consent change: no body; the request id names the event, which holds all. */
  static AuditEntry consentEntry(ConsentEvent event, String actor) {
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

  /** The key of a consent change's entry. */
  static String consentKey(String eventId) {
    return KEY_PREFIX + "consent-event:" + eventId;
  }

  /** A fresh key for one entry of a data-subject request step. */
  static String requestKey() {
    return KEY_PREFIX + "dsr-event:" + java.util.UUID.randomUUID();
  }
}
