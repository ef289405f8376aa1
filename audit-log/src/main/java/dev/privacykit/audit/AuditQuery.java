package dev.privacykit.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * A filter over one tenant's entries, read in seq order with keyset pagination: pass the last seq
 * of a page as {@code afterSeq} to get the next.
 *
 * @param tenant the tenant (required)
 * @param subject only this subject, or null
 * @param actor only this actor, or null
 * @param purpose only this purpose, or null
 * @param action only this action, or null
 * @param from only entries recorded at or after this, or null
 * @param to only entries recorded before this, or null
 * @param afterSeq only entries after this seq (-1 for the start)
 * @param limit at most this many (1 to 1,000)
 * @param beforeSeq only entries before this seq ({@code Long.MAX_VALUE} for no bound): keep the
 *     bound of the first page while paging, so entries appended meanwhile (the reads of the query
 *     itself among them) cannot keep the listing going
 */
public record AuditQuery(
    String tenant,
    String subject,
    String actor,
    String purpose,
    Action action,
    Instant from,
    Instant to,
    long afterSeq,
    int limit,
    long beforeSeq) {

  /** Checks the values. */
  public AuditQuery {
    Objects.requireNonNull(tenant, "tenant");
    if (limit < 1 || limit > 1_000) {
      throw new IllegalArgumentException("limit must be 1 to 1000, was " + limit);
    }
  }

  /** Every entry of a tenant, first page of 100. */
  public static AuditQuery tenant(String tenant) {
    return new AuditQuery(tenant, null, null, null, null, null, null, -1, 100, Long.MAX_VALUE);
  }

  public AuditQuery subject(String subject) {
    return new AuditQuery(
        tenant, subject, actor, purpose, action, from, to, afterSeq, limit, beforeSeq);
  }

  public AuditQuery actor(String actor) {
    return new AuditQuery(
        tenant, subject, actor, purpose, action, from, to, afterSeq, limit, beforeSeq);
  }

  public AuditQuery purpose(String purpose) {
    return new AuditQuery(
        tenant, subject, actor, purpose, action, from, to, afterSeq, limit, beforeSeq);
  }

  public AuditQuery action(Action action) {
    return new AuditQuery(
        tenant, subject, actor, purpose, action, from, to, afterSeq, limit, beforeSeq);
  }

  public AuditQuery between(Instant from, Instant to) {
    return new AuditQuery(
        tenant, subject, actor, purpose, action, from, to, afterSeq, limit, beforeSeq);
  }

  public AuditQuery after(long seq) {
    return new AuditQuery(tenant, subject, actor, purpose, action, from, to, seq, limit, beforeSeq);
  }

  /** Only entries before {@code seq}. */
  public AuditQuery before(long seq) {
    return new AuditQuery(tenant, subject, actor, purpose, action, from, to, afterSeq, limit, seq);
  }

  public AuditQuery limit(int limit) {
    return new AuditQuery(
        tenant, subject, actor, purpose, action, from, to, afterSeq, limit, beforeSeq);
  }
}
