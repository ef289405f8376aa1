package dev.privacykit.consent;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.Outcome;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The audit entries of breach-register steps: owed in the step's transaction (through the {@link
 * AuditOutbox}), appended after it, exactly once, so an incident cannot be recorded, notified or
 * closed without the log saying so. Entries name the incident and the step ({@code request_id} is
 * {@code <incident id>/<step>}), never a person.
 */
final class IncidentAudit {
  private final AuditOutbox outbox;
  private final String actor;

  IncidentAudit(AuditOutbox outbox, String actor) {
    this.outbox = outbox;
    this.actor = actor;
  }

  /** Owes the entry of one step in its transaction; its key goes to {@code owed}. */
  void owe(
      Handle h,
      String tenant,
      String id,
      String step,
      Action action,
      String recipient,
      Instant now,
      List<String> owed) {
    AuditEntry entry =
        AuditEntry.builder(tenant, actor, action)
            .requestId(id + "/" + step)
            .recipient(recipient)
            .outcome(Outcome.SUCCESS)
            .build();
    owed.add(
        outbox.add(
            h,
            entry,
            AuditOutbox.KEY_PREFIX + "incident-event:" + java.util.UUID.randomUUID(),
            now));
  }

  /** Appends owed entries now; one the log cannot take stays owed and is sent later. */
  void deliver(List<String> keys) {
    outbox.deliverOwed(keys, "an incident");
  }
}
