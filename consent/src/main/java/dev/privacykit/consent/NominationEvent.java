package dev.privacykit.consent;

import java.time.Instant;

/**
 * A death or incapacity of a Data Principal that the fiduciary verified and recorded: while it is
 * in force, the nominees who were active when it occurred may exercise her rights (DPDP Act
 * s.14(1)). Incapacity is the inability to exercise one's rights due to unsoundness of mind or
 * infirmity of body (s.14(2)). An event recorded in error is rescinded, never deleted.
 *
 * @param id the event's id
 * @param tenant the tenant
 * @param principal the principal's pseudonymous reference
 * @param kind death or incapacity
 * @param occurredAt when it occurred (as the evidence says)
 * @param recordedAt when the fiduciary recorded it
 * @param evidenceReference where the evidence is kept (a certificate's number or document id)
 * @param verifiedBy who at the fiduciary verified the evidence
 * @param rescindedAt when it was rescinded, or null while in force
 * @param rescindedBy who rescinded it, or null
 * @param rescindReason why, or null
 */
public record NominationEvent(
    String id,
    String tenant,
    String principal,
    Kind kind,
    Instant occurredAt,
    Instant recordedAt,
    String evidenceReference,
    String verifiedBy,
    Instant rescindedAt,
    String rescindedBy,
    String rescindReason) {

  /** What happened to the principal. */
  public enum Kind {
    /** The principal died. */
    DEATH,
    /** The principal cannot exercise her rights (unsoundness of mind or infirmity of body). */
    INCAPACITY
  }

  /** Whether it is in force: recorded and not rescinded. */
  public boolean inForce() {
    return rescindedAt == null;
  }

  /** This event as rescinded at {@code at} by {@code by}. */
  NominationEvent rescinded(Instant at, String by, String reason) {
    return new NominationEvent(
        id,
        tenant,
        principal,
        kind,
        occurredAt,
        recordedAt,
        evidenceReference,
        verifiedBy,
        at,
        by,
        reason);
  }
}
