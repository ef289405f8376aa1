package dev.privacykit.consent;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit entries of data-subject request steps: owed in the step's transaction (through the
 * {@link AuditOutbox}), appended after it, exactly once. Entries name the request and its new
 * status, never anything about the person.
 */
final class RequestAudit {
  private static final Logger log = LoggerFactory.getLogger(RequestAudit.class);

  private final AuditOutbox outbox;
  private final String actor;

  RequestAudit(AuditOutbox outbox, String actor) {
    this.outbox = outbox;
    this.actor = actor;
  }

  /** Owes the entry of a request taken in, in its transaction; its key goes to {@code owed}. */
  void received(
      Handle h,
      String tenant,
      String subject,
      String id,
      RequestType type,
      RequestStatus status,
      Instant now,
      List<String> owed) {
    if (outbox.enabled()) {
      owed.add(
          outbox.add(
              h,
              entry(tenant, subject, id, type, status, Action.DSR_RECEIVED),
              AuditOutbox.requestKey(),
              now));
    }
  }

  /** What a step owes once applied: its own entry, and {@code also} when not null. */
  RequestStore.After afterStep(String id, Action also, Instant now, List<String> owed) {
    return (h, row, next) -> {
      if (!outbox.enabled()) {
        return;
      }
      Action action =
          next == row.status()
              ? Action.DSR_UPDATED
              : switch (next) {
                case FULFILLED -> Action.DSR_FULFILLED;
                case DENIED, EXPIRED -> Action.DSR_DENIED;
                default -> Action.DSR_UPDATED;
              };
      owed.add(
          outbox.add(
              h,
              entry(row.tenant(), row.subject(), id, row.type(), next, action),
              AuditOutbox.requestKey(),
              now));
      if (also != null) {
        owed.add(
            outbox.add(
                h,
                AuditEntry.builder(row.tenant(), actor, also)
                    .subject(row.subject())
                    .requestId(id)
                    .outcome(Outcome.SUCCESS)
                    .build(),
                AuditOutbox.requestKey(),
                now));
      }
    };
  }

  /** Appends owed entries now; one the log cannot take stays owed and is sent later. */
  void deliver(List<String> keys) {
    outbox.deliverOwed(keys, "a data-subject request");
  }

  /** Delivers what earlier runs left owed (older than 5 s); returns how many. */
  int deliverPending() {
    return outbox.deliverPending(Duration.ofSeconds(5));
  }

  /** At open: delivers everything a killed process left owed; a log that is away waits. */
  void deliverPendingAtOpen() {
    try {
      outbox.deliverPending(Duration.ZERO);
    } catch (RuntimeException e) {
      log.warn(
          "pending audit entries could not be delivered at open ({}); they are retried",
          e.getClass().getSimpleName());
    }
  }

  private AuditEntry entry(
      String tenant,
      String subject,
      String id,
      RequestType type,
      RequestStatus status,
      Action action) {
    return AuditEntry.builder(tenant, actor, action)
        .subject(subject)
        .requestId(id)
        .outcome(status == RequestStatus.DENIED ? Outcome.DENIED : Outcome.SUCCESS)
        .body("{\"type\":\"" + type + "\",\"status\":\"" + status + "\"}")
        .build();
  }
}
