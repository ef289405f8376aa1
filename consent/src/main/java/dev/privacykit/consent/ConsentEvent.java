package dev.privacykit.consent;

import dev.privacykit.policies.ConsentState;
import java.time.Instant;

/**
 * One recorded consent change, as kept for proof.
 *
 * @param eventId its id
 * @param tenant the tenant
 * @param subject the subject's pseudonymous reference
 * @param purpose the purpose
 * @param state the state it moved to
 * @param noticeId the notice, or null
 * @param noticeVersion the notice version, or 0
 * @param language the language shown, or null
 * @param lawfulBasis the basis code
 * @param method how it was collected
 * @param actingParty who acted
 * @param evidence how it can be proven
 * @param receivedAt when the ledger recorded it
 * @param validUntil when it stops being valid, or null
 * @param provenance the notice text's hash, the verified guardian and the Consent Manager, where
 *     they apply
 */
public record ConsentEvent(
    String eventId,
    String tenant,
    String subject,
    String purpose,
    ConsentState state,
    String noticeId,
    int noticeVersion,
    String language,
    String lawfulBasis,
    ConsentMethod method,
    ActingParty actingParty,
    Evidence evidence,
    Instant receivedAt,
    Instant validUntil,
    Provenance provenance) {

  /** Never null: {@link Provenance#NONE} when nothing. */
  public ConsentEvent {
    provenance = provenance == null ? Provenance.NONE : provenance;
  }
}
