package dev.privacykit.consent;

/** Where an incident of the breach register stands. */
public enum IncidentStatus {
  /** Raised by a detector; a person confirms it (it becomes {@link #OPEN}) or dismisses it. */
  CANDIDATE,
  /** A personal data breach the fiduciary is aware of and is handling. */
  OPEN,
  /** The breach is contained; notifications and the report may still be owed. */
  CONTAINED,
  /** Handled and closed, with a note saying why. */
  CLOSED,
  /** A candidate a person judged not to be a breach, with a note saying why. */
  DISMISSED;

  /** Whether no further step may change the incident. */
  public boolean isFinal() {
    return this == CLOSED || this == DISMISSED;
  }
}
