package dev.privacykit.consent;

import dev.privacykit.policies.Guardianship;
import java.time.Instant;
import java.time.LocalDate;

/**
 * That a data principal is a child, or a person with a disability who has a lawful guardian, as the
 * fiduciary recorded it, with its evidence.
 *
 * @param id its id
 * @param tenant the tenant
 * @param subject the principal's pseudonymous reference
 * @param kind a child or a person with a disability who has a lawful guardian
 * @param source how the fiduciary learned it
 * @param reference a reference to the evidence (never the document itself), or null
 * @param until the first day the principal is no longer a child, or null (until cleared)
 * @param markedAt when it was recorded
 * @param markedBy who recorded it
 * @param clearedAt when it was cleared, or null
 * @param clearedBy who cleared it, or null
 * @param clearedReason why, or null
 */
public record WardMarking(
    String id,
    String tenant,
    String subject,
    Guardianship.Kind kind,
    Source source,
    String reference,
    LocalDate until,
    Instant markedAt,
    String markedBy,
    Instant clearedAt,
    String clearedBy,
    String clearedReason) {

  /** How the fiduciary learned that the principal is a child or has a lawful guardian. */
  public enum Source {
    /** The principal declared her age (or that she is under age) when asked. */
    DECLARED_BY_PRINCIPAL,
    /** A parent or guardian declared it. */
    DECLARED_BY_GUARDIAN,
    /** An age check (an age-assurance step or an authorised entity's token) showed it. */
    AGE_CHECK,
    /** The fiduciary's own reliable records show it. */
    FIDUCIARY_RECORDS,
    /** An order appointing a lawful guardian (a court, designated authority or committee). */
    GUARDIANSHIP_ORDER
  }

  /**
   * Whether it is in force on {@code today}: not cleared, and before its end date if it has one.
   */
  public boolean inForce(LocalDate today) {
    return clearedAt == null && (until == null || today.isBefore(until));
  }
}
