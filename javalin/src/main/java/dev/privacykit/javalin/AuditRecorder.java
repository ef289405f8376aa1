package dev.privacykit.javalin;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditLogException;
import dev.privacykit.audit.AuditRouter;
import dev.privacykit.audit.Outcome;
import dev.privacykit.policies.Decision;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * Writes the plugin's audit entries: one per guarded request after its handler (READ for GET, HEAD
 * and routes declared {@link Requirement#readsOnly()}, WRITE otherwise, with the purpose, legal
 * basis and categories of the route), one per denial instead of that, and authentication failures
 * through a token bucket (bursts of 100, then 20 a second) so that a flood of bad tokens cannot
 * flood the log. Thread-safe.
 *
 * <p>No unrecorded access: {@link #reserve} holds room for the request's entry in the log's queue
 * (within the tenant's share) before anything runs, and answers 503 with {@code Retry-After} when
 * the log cannot take it (queue or share full, database failing); the entry then goes into that
 * room.
 */
final class AuditRecorder {
  /** Set once a denial has its own audit entry, so the request is not recorded twice. */
  private static final String AUDITED = "privacykit.audited";

  /** The room held in the log's queue for this request's entry. */
  private static final String RESERVATION = "privacykit.audit-reservation";

  private final AuditRouter audit;
  private final boolean waitForCommit;
  private final TokenBucket failureBudget = new TokenBucket(100, 20);

  /** A recorder on each tenant's log of {@code audit} (null: record nothing). */
  AuditRecorder(AuditRouter audit, boolean waitForCommit) {
    this.audit = audit;
    this.waitForCommit = waitForCommit;
  }

  /**
   * Holds room for the request's entry before its work runs.
   *
   * @throws ProblemException 503 {@code audit-unavailable} with {@code Retry-After} when the log
   *     cannot take the entry: the request is refused rather than served unrecorded
   */
  void reserve(Context ctx, Caller caller) {
    if (audit == null || ctx.attribute(RESERVATION) != null) {
      return;
    }
    try {
      ctx.attribute(RESERVATION, audit.forTenant(caller.tenant()).reserve(caller.tenant()));
    } catch (AuditLogException e) {
      throw Problems.overloaded();
    }
  }

  /** Gives back room held for a request that wrote no entry (called after every request). */
  void release(Context ctx) {
    AuditLog.Reservation reservation = ctx.attribute(RESERVATION);
    if (reservation != null) {
      reservation.close();
    }
  }

  /** Records a guarded request that ran, unless its denial was recorded already. */
  void completed(Context ctx, Caller caller, Requirement requirement, String subject) {
    if (audit == null || ctx.attribute(AUDITED) != null) {
      return;
    }
    Decision decision = ctx.attribute(RouteGuard.DECISION);
    int status = ctx.statusCode();
    boolean reads =
        ctx.method() == HandlerType.GET
            || ctx.method() == HandlerType.HEAD
            || (requirement != null && requirement.readOnly());
    Action action = reads ? Action.READ : Action.WRITE;
    append(
        ctx,
        AuditEntry.builder(caller.tenant(), caller.principal().subject(), action)
            .actorRole(ctx.attribute(RouteGuard.ACTOR_ROLE))
            .subject(subject)
            .purpose(requirement == null ? null : requirement.purpose())
            .legalBasis(
                decision == null || decision.basis() == null ? null : decision.basis().code())
            .categories(requirement == null ? List.of() : requirement.categories())
            .requestId(Problems.correlationId(ctx))
            .outcome(
                status < 400 ? Outcome.SUCCESS : status < 500 ? Outcome.DENIED : Outcome.FAILURE)
            .build());
  }

  /** Records a refused request (scope or processing denied) in place of its completion entry. */
  void denied(Context ctx, Caller caller, String subject, Requirement requirement) {
    if (audit == null) {
      return;
    }
    ctx.attribute(AUDITED, Boolean.TRUE);
    append(
        ctx,
        AuditEntry.builder(caller.tenant(), caller.principal().subject(), Action.ACCESS_DENIED)
            .subject(subject)
            .purpose(requirement.purpose())
            .requestId(Problems.correlationId(ctx))
            .outcome(Outcome.DENIED)
            .categories(requirement.categories())
            .build());
  }

  /** Records a failed authentication, within the failure budget. */
  void authenticationFailed(Context ctx) {
    if (audit == null || !failureBudget.tryTake()) {
      return;
    }
    audit
        .forTenant("_")
        .append(
            AuditEntry.builder("_", "anonymous", Action.AUTH_FAILED)
                .requestId(Problems.correlationId(ctx))
                .outcome(Outcome.DENIED)
                .build());
  }

  /**
   * Appends into the request's reserved room (or plainly, when none was held), waiting for the
   * commit when the app asked for that.
   */
  private void append(Context ctx, AuditEntry entry) {
    AuditLog.Reservation reservation = ctx.attribute(RESERVATION);
    var appended =
        reservation != null && entry.tenant().equals(reservation.tenant())
            ? reservation.append(entry)
            : audit.forTenant(entry.tenant()).append(entry);
    if (waitForCommit) {
      appended.join();
    }
  }
}
