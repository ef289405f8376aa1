package dev.privacykit.consent;

/** Where a data-subject request stands. */
public enum RequestStatus {
  /** Received, identity verified, not yet being worked on. */
  OPEN,
  /** Waiting for the requester to prove their identity: the due-date clock is paused. */
  VERIFYING,
  /** Being worked on. */
  IN_PROGRESS,
  /** Done. */
  FULFILLED,
  /** Refused, with a reason code. */
  DENIED,
  /** Abandoned: identity was never verified in time. */
  EXPIRED,
  /** The requester withdrew it before it was answered. */
  WITHDRAWN;

  /** Whether the request is finished. */
  public boolean isClosed() {
    return this == FULFILLED || this == DENIED || this == EXPIRED || this == WITHDRAWN;
  }
}
