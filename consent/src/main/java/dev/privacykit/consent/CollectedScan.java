package dev.privacykit.consent;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditQuery;
import dev.privacykit.audit.AuditRecord;
import dev.privacykit.audit.AuditRouter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Finds, for a purpose's {@code collected} retention rule, the principals whose data for that
 * purpose was collected (a {@code WRITE} entry in the audit log naming the purpose) in a window,
 * and keeps a watermark per (tenant, purpose) so each window is read once. Thread-safe.
 */
final class CollectedScan {
  private static final int PAGE = 1_000;

  private final Jdbi jdbi;
  private final AuditRouter audit;

  CollectedScan(Jdbi jdbi, AuditRouter audit) {
    this.jdbi = jdbi;
    this.audit = audit;
  }

  /** Tenants that may hold data for the rules: those with consents, requests, or webhooks. */
  List<String> tenants() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT tenant FROM consent_state UNION SELECT tenant FROM dsr_requests"
                        + " UNION SELECT tenant FROM webhook_recipients UNION SELECT tenant FROM"
                        + " principal_activity ORDER BY tenant")
                .mapTo(String.class)
                .list());
  }

  /** Where the last run stopped for (tenant, purpose), or the epoch. */
  Instant watermark(String tenant, String purpose) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT upto FROM retention_watermarks WHERE tenant = :t AND purpose = :p")
                .bind("t", tenant)
                .bind("p", purpose)
                .mapTo(OffsetDateTime.class)
                .findOne()
                .map(OffsetDateTime::toInstant)
                .orElse(Instant.EPOCH));
  }

  /** Moves the watermark forward (never back); a race with another process is retried once. */
  void advance(String tenant, String purpose, Instant upto) {
    try {
      advanceOnce(tenant, purpose, upto);
    } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
      if (!dev.privacykit.storage.spi.SqlFailures.isUniqueViolation(e)) {
        throw e;
      }
      advanceOnce(tenant, purpose, upto); // the other process inserted: now it updates
    }
  }

  private void advanceOnce(String tenant, String purpose, Instant upto) {
    jdbi.useTransaction(
        h -> {
          int updated =
              h.createUpdate(
                      "UPDATE retention_watermarks SET upto = :u WHERE tenant = :t AND purpose = :p"
                          + " AND upto < :u")
                  .bind("t", tenant)
                  .bind("p", purpose)
                  .bind("u", RetentionStore.utc(upto))
                  .execute();
          if (updated == 0) {
            h.createUpdate(
                    "INSERT INTO retention_watermarks (tenant, purpose, upto) SELECT :t, :p, :u"
                        + " FROM (SELECT 1 AS one) x WHERE NOT EXISTS (SELECT 1 FROM"
                        + " retention_watermarks WHERE tenant = :t AND purpose = :p)")
                .bind("t", tenant)
                .bind("p", purpose)
                .bind("u", RetentionStore.utc(upto))
                .execute();
          }
        });
  }

  /**
   * The distinct subjects with a {@code WRITE} entry for {@code purpose} recorded in [from, to), in
   * the order first seen, leaving out those {@code skip} says were already acted on, at most {@code
   * max} (the caller stops there and does not advance the watermark).
   */
  Set<String> subjects(
      String tenant,
      String purpose,
      Instant from,
      Instant to,
      int max,
      java.util.function.Predicate<String> skip) {
    Set<String> subjects = new LinkedHashSet<>();
    long after = -1;
    while (subjects.size() < max) {
      List<AuditRecord> page =
          audit
              .forTenant(tenant)
              .query(
                  AuditQuery.tenant(tenant)
                      .purpose(purpose)
                      .action(Action.WRITE)
                      .between(from, to)
                      .after(after)
                      .limit(PAGE));
      for (AuditRecord record : page) {
        String subject = record.entry().subject();
        if (subject != null && !subjects.contains(subject) && !skip.test(subject)) {
          subjects.add(subject);
        }
        after = record.seq();
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    return subjects;
  }
}
