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
  PRUNE,
  /** A personal data breach (or a candidate for one) entered the breach register. */
  INCIDENT_RECORDED,
  /** A step of a breach-register incident: a notification, a report, a status change. */
  INCIDENT_UPDATED,
  /** The principal was told their data will be erased for inactivity (DPDP Rules, rule 8(2)). */
  RETENTION_NOTICE,
  /** A retention rule was applied to the data held for a purpose (erased or anonymised). */
  RETENTION_APPLIED,
  /** An erasure for inactivity was called off: the principal came back after the notice. */
  RETENTION_CANCELLED,
  /**
   * A change of a data principal's nomination register (DPDP Act s.14): a nominee added or revoked,
   * a death or incapacity recorded or rescinded, a request filed by a nominee.
   */
  NOMINATION_UPDATED,
  /**
   * A change of who may consent for a data principal (DPDP Act s.9, Rules 10-11; GDPR Art. 8): a
   * principal marked as a child or as a person with a disability who has a lawful guardian, or that
   * mark cleared; a verified parent or guardian linked, or the link revoked.
   */
  GUARDIANSHIP_UPDATED,
  /** A shard's checkpoint recorded in the top-level log of a sharded log ({@link AuditShards}). */
  SHARD_CHECKPOINT;

  /**
   * Whether only PrivacyKit itself records this action (consent changes, requests, erasure, keys,
   * prune, authentication failures, denials, decrypts by the service). Entries that applications
   * append over HTTP may only use the others: READ, WRITE, DISCLOSE, EXPORT.
   */
  public boolean isSystem() {
    return this != READ && this != WRITE && this != DISCLOSE && this != EXPORT;
  }
}
