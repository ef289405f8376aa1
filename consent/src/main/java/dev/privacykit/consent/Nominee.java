package dev.privacykit.consent;

import java.time.Instant;

/**
 * A nominee in a Data Principal's register (DPDP Act s.14(1)): an individual the principal named to
 * exercise her rights in the event of her death or incapacity. Never changed once revoked.
 *
 * @param id the nomination's id
 * @param tenant the tenant
 * @param principal the principal's pseudonymous reference
 * @param nominee the nominee's pseudonymous reference: the {@code sub} of the token the nominee
 *     acts with
 * @param relation how the nominee is related to the principal
 * @param contactReference where the fiduciary finds the nominee's contact details (a reference into
 *     the host's or {@link SubjectIdentifiers}' records, never an address), or null
 * @param evidence how the principal's nomination can be proven (when, channel, UI version)
 * @param addedAt when the register took it in
 * @param revokedAt when the principal revoked it, or null while it is active
 * @param revokeReason the principal's reason, or null
 */
public record Nominee(
    String id,
    String tenant,
    String principal,
    String nominee,
    NomineeRelation relation,
    String contactReference,
    Evidence evidence,
    Instant addedAt,
    Instant revokedAt,
    String revokeReason) {

  /** Whether it has not been revoked. */
  public boolean isActive() {
    return revokedAt == null;
  }

  /**
   * Whether it was active at {@code at}: added no later and not revoked by then. A nominee named
   * after a death or incapacity began was not chosen by a principal able to choose.
   */
  public boolean wasActiveAt(Instant at) {
    return !addedAt.isAfter(at) && (revokedAt == null || revokedAt.isAfter(at));
  }

  /** This nomination as revoked at {@code at}. */
  Nominee revoked(Instant at, String reason) {
    return new Nominee(
        id, tenant, principal, nominee, relation, contactReference, evidence, addedAt, at, reason);
  }
}
