package dev.privacykit.policies;

/**
 * Where a data subject's consent for a purpose stands (ISO/IEC TS 27560 states). Only {@link
 * #GIVEN} and {@link #RENEWED} allow processing.
 */
public enum ConsentState {
  GIVEN,
  RENEWED,
  REFUSED,
  WITHDRAWN,
  EXPIRED,
  /** No consent was ever recorded. */
  NONE;

  /** Whether the state allows processing (27560's valid-for-processing states). */
  public boolean isValidForProcessing() {
    return this == GIVEN || this == RENEWED;
  }
}
