package dev.privacykit.consent;

import dev.privacykit.policies.RetentionRule;
import java.time.Instant;

/**
 * One thing the retention executor did (or, in a dry run, would do).
 *
 * @param id its id (null in a dry run)
 * @param tenant the tenant
 * @param subject the principal's pseudonymous reference
 * @param purpose the purpose whose data it concerns, or {@code *} for everything of the principal
 * @param rule the kind of rule that called for it
 * @param kind what was done
 * @param status where it stands: a notice is {@code PENDING} until its erasure is done or cancelled
 * @param basisAt what started the period: when the consent ended, or when the principal last came
 * @param dueAt when the data goes (for a notice: at least 48 hours after it was sent)
 * @param actedAt when it was done, or null
 * @param note why, in words that name no one
 */
public record RetentionAction(
    String id,
    String tenant,
    String subject,
    String purpose,
    RetentionRule.Trigger rule,
    Kind kind,
    Status status,
    Instant basisAt,
    Instant dueAt,
    Instant actedAt,
    String note) {

  /** What the executor does. */
  public enum Kind {
    /** Tells the principal their data will be erased (DPDP Rules, rule 8(2)). */
    NOTICE,
    /** Erased: for a purpose, the host deletes; for a principal, the key is shredded too. */
    ERASE,
    /** The host anonymises the data held for a purpose. */
    ANONYMISE,
    /** A notice whose erasure did not happen: the principal came back in between. */
    CANCEL
  }

  /** Where an action stands. */
  public enum Status {
    PENDING,
    DONE,
    CANCELLED,
    /** A dry run's plan: nothing was written. */
    PLANNED
  }
}
