package dev.privacykit.consent;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The SQL of the nomination register: every statement {@link Nominations} runs is here. A change
 * locks the principal's register row, so two changes of one principal take turns (the limit on
 * active nominees holds under concurrency), and writes its history row in the same transaction.
 * {@code nomination_history} is only inserted into; a revocation or rescission sets its columns
 * once. Thread-safe.
 */
final class NominationStore {
  private final Jdbi jdbi;
  private final String lock;

  NominationStore(Database database) {
    this.jdbi = Jdbis.of(database);
    this.lock = database.dialect().lockRowsClause();
  }

  /** Runs {@code work} in one transaction holding the principal's register lock. */
  <T> T change(String tenant, String principal, Instant now, Function<Handle, T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return changeOnce(tenant, principal, now, work);
      } catch (UnableToExecuteStatementException e) {
        // The first change of a principal raced another's insert of her register row: once that
        // commits, the row is there to lock. Anything else fails the same way again.
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  private <T> T changeOnce(String tenant, String principal, Instant now, Function<Handle, T> work) {
    return jdbi.inTransaction(
        h -> {
          boolean exists =
              h.createQuery(
                      "SELECT changes FROM nomination_registers WHERE tenant = :t"
                          + " AND principal = :p "
                          + lock)
                  .bind("t", tenant)
                  .bind("p", principal)
                  .mapTo(Long.class)
                  .findOne()
                  .isPresent();
          if (!exists) {
            h.createUpdate(
                    "INSERT INTO nomination_registers (tenant, principal, changes, updated_at)"
                        + " VALUES (:t, :p, 0, :at)")
                .bind("t", tenant)
                .bind("p", principal)
                .bind("at", at(now))
                .execute();
          }
          T result = work.apply(h);
          h.createUpdate(
                  "UPDATE nomination_registers SET changes = changes + 1, updated_at = :at"
                      + " WHERE tenant = :t AND principal = :p")
              .bind("t", tenant)
              .bind("p", principal)
              .bind("at", at(now))
              .execute();
          return result;
        });
  }

  List<Nominee> nominees(String tenant, String principal) {
    return jdbi.withHandle(h -> nominees(h, tenant, principal));
  }

  static List<Nominee> nominees(Handle h, String tenant, String principal) {
    return h.createQuery("SELECT * FROM nominees WHERE tenant = :t AND principal = :p ORDER BY seq")
        .bind("t", tenant)
        .bind("p", principal)
        .map((rs, ctx) -> nominee(rs))
        .list();
  }

  static void insert(Handle h, Nominee n) {
    Evidence e = n.evidence();
    h.createUpdate(
            "INSERT INTO nominees (id, tenant, principal, nominee, relation, contact_ref,"
                + " collected_at, channel, ip_truncated, user_agent_hash, ui_version, added_at)"
                + " VALUES (:id, :t, :p, :n, :r, :c, :collected, :channel, :ip, :ua, :ui, :added)")
        .bind("id", n.id())
        .bind("t", n.tenant())
        .bind("p", n.principal())
        .bind("n", n.nominee())
        .bind("r", n.relation().name())
        .bind("c", n.contactReference())
        .bind("collected", at(e.collectedAt()))
        .bind("channel", e.channel())
        .bind("ip", e.ipTruncated())
        .bind("ua", e.userAgentHash())
        .bind("ui", e.uiVersion())
        .bind("added", at(n.addedAt()))
        .execute();
  }

  static void revoke(Handle h, String id, Instant now, String reason) {
    h.createUpdate(
            "UPDATE nominees SET revoked_at = :at, revoke_reason = :r"
                + " WHERE id = :id AND revoked_at IS NULL")
        .bind("id", id)
        .bind("at", at(now))
        .bind("r", reason)
        .execute();
  }

  List<NominationEvent> events(String tenant, String principal) {
    return jdbi.withHandle(h -> events(h, tenant, principal));
  }

  static List<NominationEvent> events(Handle h, String tenant, String principal) {
    return h.createQuery(
            "SELECT * FROM nomination_events WHERE tenant = :t AND principal = :p"
                + " ORDER BY seq")
        .bind("t", tenant)
        .bind("p", principal)
        .map((rs, ctx) -> event(rs))
        .list();
  }

  static void insert(Handle h, NominationEvent e) {
    h.createUpdate(
            "INSERT INTO nomination_events (id, tenant, principal, kind, occurred_at, recorded_at,"
                + " evidence_ref, verified_by) VALUES (:id, :t, :p, :k, :occurred, :recorded,"
                + " :ref, :by)")
        .bind("id", e.id())
        .bind("t", e.tenant())
        .bind("p", e.principal())
        .bind("k", e.kind().name())
        .bind("occurred", at(e.occurredAt()))
        .bind("recorded", at(e.recordedAt()))
        .bind("ref", e.evidenceReference())
        .bind("by", e.verifiedBy())
        .execute();
  }

  static void rescind(Handle h, String id, Instant now, String by, String reason) {
    h.createUpdate(
            "UPDATE nomination_events SET rescinded_at = :at, rescinded_by = :by,"
                + " rescind_reason = :r WHERE id = :id AND rescinded_at IS NULL")
        .bind("id", id)
        .bind("at", at(now))
        .bind("by", by)
        .bind("r", reason)
        .execute();
  }

  /** Appends one row of the principal's history (never updated or deleted). */
  static void history(
      Handle h,
      String tenant,
      String principal,
      String step,
      String target,
      String actor,
      String note,
      Instant now) {
    h.createUpdate(
            "INSERT INTO nomination_history (tenant, principal, step, target_id, actor, note, at)"
                + " VALUES (:t, :p, :s, :target, :actor, :note, :at)")
        .bind("t", tenant)
        .bind("p", principal)
        .bind("s", step)
        .bind("target", target)
        .bind("actor", actor)
        .bind("note", note)
        .bind("at", at(now))
        .execute();
  }

  List<Map<String, Object>> history(String tenant, String principal) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT step, target_id, actor, note, at FROM nomination_history"
                        + " WHERE tenant = :t AND principal = :p ORDER BY id")
                .bind("t", tenant)
                .bind("p", principal)
                .mapToMap()
                .list());
  }

  /** Links a request a nominee filed to the nomination and event it was filed under. */
  static void link(
      Handle h,
      String requestId,
      String tenant,
      String principal,
      String nomineeId,
      String eventId,
      Instant now) {
    h.createUpdate(
            "INSERT INTO nomination_requests (request_id, tenant, principal, nominee_id, event_id,"
                + " filed_at) VALUES (:r, :t, :p, :n, :e, :at)")
        .bind("r", requestId)
        .bind("t", tenant)
        .bind("p", principal)
        .bind("n", nomineeId)
        .bind("e", eventId)
        .bind("at", at(now))
        .execute();
  }

  /** The ids of the requests filed under these nominations of the principal, newest first. */
  List<String> requestIds(String tenant, String principal, List<String> nomineeIds) {
    if (nomineeIds.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT request_id FROM nomination_requests WHERE tenant = :t"
                        + " AND principal = :p AND nominee_id IN (<ids>)"
                        + " ORDER BY filed_at DESC, request_id")
                .bind("t", tenant)
                .bind("p", principal)
                .bindList("ids", nomineeIds)
                .mapTo(String.class)
                .list());
  }

  private static Nominee nominee(ResultSet rs) throws SQLException {
    return new Nominee(
        rs.getString("id"),
        rs.getString("tenant"),
        rs.getString("principal"),
        rs.getString("nominee"),
        NomineeRelation.valueOf(rs.getString("relation")),
        rs.getString("contact_ref"),
        new Evidence(
            instant(rs, "collected_at"),
            rs.getString("channel"),
            rs.getString("ip_truncated"),
            rs.getString("user_agent_hash"),
            rs.getString("ui_version")),
        instant(rs, "added_at"),
        instant(rs, "revoked_at"),
        rs.getString("revoke_reason"));
  }

  private static NominationEvent event(ResultSet rs) throws SQLException {
    return new NominationEvent(
        rs.getString("id"),
        rs.getString("tenant"),
        rs.getString("principal"),
        NominationEvent.Kind.valueOf(rs.getString("kind")),
        instant(rs, "occurred_at"),
        instant(rs, "recorded_at"),
        rs.getString("evidence_ref"),
        rs.getString("verified_by"),
        instant(rs, "rescinded_at"),
        rs.getString("rescinded_by"),
        rs.getString("rescind_reason"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
