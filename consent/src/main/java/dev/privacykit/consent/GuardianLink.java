package dev.privacykit.consent;

import java.time.Instant;

/**
 * A verified parent or lawful guardian of a ward: the only party whose consent counts for a child
 * or for a person with a disability who has a lawful guardian, and whose own token may act for the
 * ward.
 *
 * @param id its id
 * @param tenant the tenant
 * @param ward the ward's pseudonymous reference
 * @param guardian the guardian's pseudonymous reference (a data principal of the tenant)
 * @param relation parent or lawful guardian
 * @param verification how the guardian was verified
 * @param recordedAt when the link was recorded
 * @param revokedAt when it was revoked, or null
 * @param revokedBy who revoked it, or null
 * @param revokedReason why, or null
 */
public record GuardianLink(
    String id,
    String tenant,
    String ward,
    String guardian,
    Relation relation,
    GuardianVerification verification,
    Instant recordedAt,
    Instant revokedAt,
    String revokedBy,
    String revokedReason) {

  /** Who the guardian is to the ward. */
  public enum Relation {
    /** A parent of a child. */
    PARENT,
    /** A lawful guardian (of a child, or of a person with a disability). */
    LAWFUL_GUARDIAN
  }

  /** Whether it is in force. */
  public boolean isActive() {
    return revokedAt == null;
  }
}
