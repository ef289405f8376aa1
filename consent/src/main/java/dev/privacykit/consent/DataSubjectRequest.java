package dev.privacykit.consent;

import dev.privacykit.policies.Regime;
import java.time.Instant;

/**
 * One data-subject request as it stands.
 *
 * @param id its id
 * @param tenant the tenant
 * @param subject the subject's pseudonymous reference
 * @param type the right exercised
 * @param regime the law whose deadline applies
 * @param status where it stands
 * @param receivedAt when it arrived
 * @param dueAt when it must be answered (moves later while identity is being verified, and when
 *     extended)
 * @param extendedMonths months added by extension (GDPR: at most 2)
 * @param denialReason why it was refused, or null
 * @param outcomeNote what was done (for erasure: what was erased), or null
 * @param purposes the purposes a restriction or objection concerns; empty for all
 * @param filedBy who filed it
 */
public record DataSubjectRequest(
    String id,
    String tenant,
    String subject,
    RequestType type,
    Regime regime,
    RequestStatus status,
    Instant receivedAt,
    Instant dueAt,
    int extendedMonths,
    DenialReason denialReason,
    String outcomeNote,
    java.util.List<String> purposes,
    RequestFiler filedBy) {

  /** Whether it is still open and past its due date at {@code now}. */
  public boolean isOverdue(Instant now) {
    return !status.isClosed() && now.isAfter(dueAt);
  }
}
