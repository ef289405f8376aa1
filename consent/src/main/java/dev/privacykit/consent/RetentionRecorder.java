package dev.privacykit.consent;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.Outcome;
import dev.privacykit.policies.RetentionRule.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Records one retention action in one transaction: closes its notice, inserts the action (once per
 * trigger), deletes identifiers for an erasure, queues its webhook and owes its audit entry.
 * Thread-safe.
 */
final class RetentionRecorder {
  private static final String EVERYTHING = "*";

  private final RetentionStore store;
  private final AuditOutbox audit;
  private final String actor;

  RetentionRecorder(RetentionStore store, AuditOutbox audit, String actor) {
    this.store = store;
    this.audit = audit;
    this.actor = actor;
  }

  /**
   * Records {@code action} with its webhook (when {@code event} is not null) and audit entry in one
   * transaction, closing {@code notice} when given; false when another run got there first.
   */
  boolean record(
      RetentionAction action,
      Instant now,
      List<String> owed,
      String event,
      Action audited,
      RetentionAction notice) {
    List<String> keys = new ArrayList<>();
    boolean recorded;
    try {
      recorded =
          store.jdbi().inTransaction(h -> write(h, action, now, event, audited, notice, keys));
    } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
      if (!dev.privacykit.storage.spi.SqlFailures.isUniqueViolation(e)) {
        throw e;
      }
      recorded = false; // another process recorded the same action a moment earlier
    }
    if (recorded) {
      owed.addAll(keys);
    }
    return recorded;
  }

  private boolean write(
      Handle h,
      RetentionAction action,
      Instant now,
      String event,
      Action audited,
      RetentionAction notice,
      List<String> keys) {
    if (notice != null
        && !RetentionStore.close(
            h,
            notice.id(),
            action.kind() == RetentionAction.Kind.CANCEL
                ? RetentionAction.Status.CANCELLED
                : RetentionAction.Status.DONE,
            now)) {
      return false;
    }
    if (!RetentionStore.insert(h, action, now)) {
      return false;
    }
    if (audited == Action.ERASE) {
      h.createUpdate("DELETE FROM consent_identifiers WHERE tenant = :t AND subject = :s")
          .bind("t", action.tenant())
          .bind("s", action.subject())
          .execute();
    }
    if (event != null) {
      String purpose = EVERYTHING.equals(action.purpose()) ? null : action.purpose();
      String payload =
          event.equals(Outbox.RETENTION_NOTICE)
              ? Outbox.payload(
                  event,
                  action.tenant(),
                  action.subject(),
                  null,
                  action.id(),
                  now,
                  "due_at",
                  action.dueAt())
              : action.rule() == Trigger.COLLECTED
                  ? Outbox.payload(
                      event,
                      action.tenant(),
                      action.subject(),
                      purpose,
                      action.id(),
                      now,
                      "collected_before",
                      action.dueAt())
                  : Outbox.payload(
                      event, action.tenant(), action.subject(), purpose, action.id(), now);
      Outbox.add(h, action.tenant(), event, payload, now);
    }
    owe(h, action, audited, now, keys);
    return true;
  }

  private void owe(
      Handle h, RetentionAction action, Action audited, Instant now, List<String> keys) {
    if (!audit.enabled()) {
      return;
    }
    AuditEntry.Builder entry =
        AuditEntry.builder(action.tenant(), actor, audited)
            .subject(action.subject())
            .purpose(EVERYTHING.equals(action.purpose()) ? null : action.purpose())
            .requestId(action.id())
            .outcome(Outcome.SUCCESS);
    if (audited != Action.ERASE) {
      // A body is sealed under the subject's key: after a shred that would make a new key.
      entry.body("{\"rule\":\"" + action.rule() + "\",\"kind\":\"" + action.kind() + "\"}");
    }
    keys.add(audit.add(h, entry.build(), AuditOutbox.requestKey(), now));
  }
}
