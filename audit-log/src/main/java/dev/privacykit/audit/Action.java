package dev.privacykit.audit;

/** What happened to personal data, or to the controls around it. */
public enum Action {
  READ,
  WRITE,
  DISCLOSE,
  EXPORT,
  ERASE,
  DECRYPT,
  CONSENT_GIVEN,
  CONSENT_RENEWED,
  CONSENT_REFUSED,
  CONSENT_WITHDRAWN,
  CONSENT_EXPIRED,
  DSR_RECEIVED,
  DSR_UPDATED,
  DSR_FULFILLED,
  DSR_DENIED,
  AUTH_FAILED,
  ACCESS_DENIED,
  KEY_ROTATED,
  KEY_SHREDDED,
  PRUNE
}
