package dev.privacykit.consent;

import dev.privacykit.policies.RetentionRule;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import dev.privacykit.storage.spi.SqlFailures;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The SQL of the retention executor: ended consents, principals' last contact, and the actions
 * taken ({@code retention_actions}, {@code principal_activity}). Thread-safe.
 */
final class RetentionStore {
  private final Jdbi jdbi;

  RetentionStore(Database database) {
    this.jdbi = Jdbis.of(database);
  }

  Jdbi jdbi() {
    return jdbi;
  }

  /** A consent that ended (withdrawn, or expired) with when it ended. */
  record Ended(String tenant, String subject, String purpose, Instant endedAt) {}

  /**
   * Consents that ended at or before {@code cutoff} and whose data has not been acted on for that
   * ending, oldest first.
   */
  List<Ended> endedConsents(String tenant, Instant cutoff, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT tenant, subject, purpose, ended_at FROM (SELECT s.tenant, s.subject, s.purpose,"
                        + " CASE WHEN s.state IN ('GIVEN', 'RENEWED') THEN s.expires_at ELSE s.changed_at END AS ended_at"
                        + " FROM consent_state s WHERE (s.state IN ('WITHDRAWN', 'EXPIRED') OR (s.state IN"
                        + " ('GIVEN', 'RENEWED') AND s.expires_at IS NOT NULL))"
                        + (tenant == null ? "" : " AND s.tenant = :t")
                        + ") e WHERE ended_at <= :cutoff AND NOT EXISTS (SELECT 1 FROM retention_actions a"
                        + " WHERE a.tenant = e.tenant AND a.subject = e.subject AND a.purpose = e.purpose"
                        + " AND a.rule = 'CONSENT_ENDED' AND a.basis_at = e.ended_at)"
                        + " ORDER BY ended_at LIMIT :n")
                .bindMap(tenant == null ? Map.of() : Map.of("t", tenant))
                .bind("cutoff", utc(cutoff))
                .bind("n", limit)
                .map(
                    (rs, ctx) ->
                        new Ended(
                            rs.getString("tenant"),
                            rs.getString("subject"),
                            rs.getString("purpose"),
                            rs.getObject("ended_at", OffsetDateTime.class).toInstant()))
                .list());
  }

  /** A principal and when they last came. */
  record LastSeen(String tenant, String subject, Instant at) {}

  private static final String LAST_SEEN =
      "SELECT tenant, subject, MAX(at) AS last_seen FROM (SELECT tenant, subject, last_seen_at AS at"
          + " FROM principal_activity UNION ALL SELECT tenant, subject, received_at FROM consent_events"
          + " UNION ALL SELECT tenant, subject, received_at FROM dsr_requests) seen";

  /**
   * Principals last seen at or before {@code cutoff} that have no notice for that last contact and
   * were not erased since, oldest first.
   */
  List<LastSeen> inactive(String tenant, Instant cutoff, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT tenant, subject, last_seen FROM ("
                        + LAST_SEEN
                        + (tenant == null ? "" : " WHERE tenant = :t")
                        + " GROUP BY tenant, subject) p WHERE last_seen <= :cutoff"
                        + " AND NOT EXISTS (SELECT 1 FROM retention_actions a WHERE a.tenant = p.tenant"
                        + " AND a.subject = p.subject AND a.rule = 'INACTIVE' AND a.basis_at >= p.last_seen)"
                        + " AND NOT EXISTS (SELECT 1 FROM dsr_requests d WHERE d.tenant = p.tenant"
                        + " AND d.subject = p.subject AND d.type = 'ERASURE' AND d.status = 'FULFILLED'"
                        + " AND d.updated_at >= p.last_seen)"
                        + " ORDER BY last_seen LIMIT :n")
                .bindMap(tenant == null ? Map.of() : Map.of("t", tenant))
                .bind("cutoff", utc(cutoff))
                .bind("n", limit)
                .map(
                    (rs, ctx) ->
                        new LastSeen(
                            rs.getString("tenant"),
                            rs.getString("subject"),
                            rs.getObject("last_seen", OffsetDateTime.class).toInstant()))
                .list());
  }

  /** Whether an action of {@code rule} for (tenant, subject, purpose) exists with this basis. */
  boolean acted(
      String tenant, String subject, String purpose, RetentionRule.Trigger rule, Instant basis) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                        "SELECT COUNT(*) FROM retention_actions WHERE tenant = :t AND subject = :s"
                            + " AND purpose = :p AND rule = :r AND basis_at = :b")
                    .bind("t", tenant)
                    .bind("s", subject)
                    .bind("p", purpose)
                    .bind("r", rule.name())
                    .bind("b", utc(basis))
                    .mapTo(Integer.class)
                    .one()
                > 0);
  }

  /** When the principal last came, or null when never. */
  Instant lastSeen(Handle h, String tenant, String subject) {
    return h.createQuery(
            "SELECT MAX(at) FROM (SELECT last_seen_at AS at FROM principal_activity WHERE tenant = :t"
                + " AND subject = :s UNION ALL SELECT received_at FROM consent_events WHERE tenant = :t"
                + " AND subject = :s UNION ALL SELECT received_at FROM dsr_requests WHERE tenant = :t"
                + " AND subject = :s) seen")
        .bind("t", tenant)
        .bind("s", subject)
        .mapTo(OffsetDateTime.class)
        .findOne()
        .map(OffsetDateTime::toInstant)
        .orElse(null);
  }

  /** Notices still waiting for their erasure, soonest first. */
  List<RetentionAction> pendingNotices(String tenant, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM retention_actions WHERE status = 'PENDING'"
                        + (tenant == null ? "" : " AND tenant = :t")
                        + " ORDER BY due_at LIMIT :n")
                .bindMap(tenant == null ? Map.of() : Map.of("t", tenant))
                .bind("n", limit)
                .map((rs, ctx) -> action(rs))
                .list());
  }

  /** A tenant's actions created in [from, to), oldest first, at most {@code limit}. */
  List<RetentionAction> actions(String tenant, Instant from, Instant to, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM retention_actions WHERE tenant = :t AND created_at >= :from"
                        + " AND created_at < :to ORDER BY created_at, id LIMIT :n")
                .bind("t", tenant)
                .bind("from", utc(from))
                .bind("to", utc(to))
                .bind("n", limit)
                .map((rs, ctx) -> action(rs))
                .list());
  }

  /** Records an action in the caller's transaction; false when one for the same trigger exists. */
  static boolean insert(Handle h, RetentionAction a, Instant now) {
    int inserted =
        h.createUpdate(
                "INSERT INTO retention_actions (id, tenant, subject, purpose, rule, kind, status, basis_at,"
                    + " due_at, created_at, acted_at, note) SELECT :id, :t, :s, :p, :rule, :kind, :status, :basis,"
                    + " :due, :now, :acted, :note FROM (SELECT 1 AS one) x WHERE NOT EXISTS (SELECT 1 FROM"
                    + " retention_actions WHERE tenant = :t AND subject = :s AND rule = :rule AND kind = :kind"
                    + " AND purpose = :p AND basis_at = :basis)")
            .bind("id", a.id())
            .bind("t", a.tenant())
            .bind("s", a.subject())
            .bind("p", a.purpose())
            .bind("rule", a.rule().name())
            .bind("kind", a.kind().name())
            .bind("status", a.status().name())
            .bind("basis", utc(a.basisAt()))
            .bind("due", utc(a.dueAt()))
            .bind("now", utc(now))
            .bind("acted", a.actedAt() == null ? null : utc(a.actedAt()))
            .bind("note", a.note())
            .execute();
    return inserted == 1;
  }

  /** Closes a pending notice; false when another process closed it first. */
  static boolean close(Handle h, String id, RetentionAction.Status status, Instant now) {
    return h.createUpdate(
                "UPDATE retention_actions SET status = :s, acted_at = :now WHERE id = :id"
                    + " AND status = 'PENDING'")
            .bind("s", status.name())
            .bind("now", utc(now))
            .bind("id", id)
            .execute()
        == 1;
  }

  /** Records that the principal came (a login, a contact); keeps the latest time. */
  void seen(String tenant, String subject, Instant at) {
    try {
      seenOnce(tenant, subject, at);
    } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
      if (!SqlFailures.isUniqueViolation(e)) {
        throw e;
      }
      seenOnce(tenant, subject, at); // another request inserted the row first: now it updates
    }
  }

  private void seenOnce(String tenant, String subject, Instant at) {
    jdbi.useTransaction(
        h -> {
          int updated =
              h.createUpdate(
                      "UPDATE principal_activity SET last_seen_at = :at WHERE tenant = :t AND subject = :s"
                          + " AND last_seen_at < :at")
                  .bind("t", tenant)
                  .bind("s", subject)
                  .bind("at", utc(at))
                  .execute();
          if (updated == 0) {
            h.createUpdate(
                    "INSERT INTO principal_activity (tenant, subject, last_seen_at) SELECT :t, :s, :at"
                        + " FROM (SELECT 1 AS one) x WHERE NOT EXISTS (SELECT 1 FROM principal_activity"
                        + " WHERE tenant = :t AND subject = :s)")
                .bind("t", tenant)
                .bind("s", subject)
                .bind("at", utc(at))
                .execute();
          }
        });
  }

  private static RetentionAction action(java.sql.ResultSet rs) throws java.sql.SQLException {
    OffsetDateTime acted = rs.getObject("acted_at", OffsetDateTime.class);
    return new RetentionAction(
        rs.getString("id"),
        rs.getString("tenant"),
        rs.getString("subject"),
        rs.getString("purpose"),
        RetentionRule.Trigger.valueOf(rs.getString("rule")),
        RetentionAction.Kind.valueOf(rs.getString("kind")),
        RetentionAction.Status.valueOf(rs.getString("status")),
        rs.getObject("basis_at", OffsetDateTime.class).toInstant(),
        rs.getObject("due_at", OffsetDateTime.class).toInstant(),
        acted == null ? null : acted.toInstant(),
        rs.getString("note"));
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
