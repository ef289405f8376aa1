package dev.privacykit.consent;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The audit entries of a register's changes, such as the nomination register ({@link
 * Action#NOMINATION_UPDATED}) or guardianships ({@link Action#GUARDIANSHIP_UPDATED}): owed in the
 * change's transaction (through the {@link AuditOutbox}) and appended after it, exactly once, so no
 * entry of the register changes without the log saying so. An entry names the principal as its
 * subject, who acted with the role they acted in, and {@code <id>/<step>} as its request id.
 */
final class RegisterAudit {
  private final AuditOutbox outbox;
  private final Action action;
  private final String register;

  /** The audit of {@code register} (a word for the outbox keys), recorded as {@code action}. */
  RegisterAudit(AuditOutbox outbox, Action action, String register) {
    this.outbox = outbox;
    this.action = action;
    this.register = register;
  }

  /** Owes the entry of one change in its transaction; its key goes to {@code owed}. */
  void owe(
      Handle h,
      String tenant,
      String principal,
      String actor,
      String role,
      String target,
      String step,
      Instant now,
      List<String> owed) {
    AuditEntry entry =
        AuditEntry.builder(tenant, actor, action)
            .actorRole(role)
            .subject(principal)
            .requestId(target + "/" + step)
            .outcome(Outcome.SUCCESS)
            .build();
    owed.add(
        outbox.add(
            h, entry, AuditOutbox.KEY_PREFIX + register + "-event:" + UUID.randomUUID(), now));
  }

  /** Appends owed entries now; one the log cannot take stays owed and is sent later. */
  void deliver(List<String> keys) {
    outbox.deliverOwed(keys, "a " + register);
  }
}
