package dev.privacykit.audit;

/** How an audited action ended. */
public enum Outcome {
  SUCCESS,
  DENIED,
  FAILURE
}
