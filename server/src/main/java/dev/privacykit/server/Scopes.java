package dev.privacykit.server;

import java.util.List;

/** The permissions of the HTTP API; a token's scopes name them, or {@link #ADMIN} for all. */
public final class Scopes {
  public static final String CONSENTS_READ = "consents:read";
  public static final String CONSENTS_WRITE = "consents:write";

  /** A data principal's own token: read and change its own consents only. */
  public static final String CONSENTS_SELF = "consents:self";

  /**
   * A data principal's own token: file, follow and withdraw its own data-subject requests, and read
   * their answers.
   */
  public static final String REQUESTS_SELF = "requests:self";

  /** A recipient of the policy ({@code sub} = its id there) confirms the notices it was sent. */
  public static final String REQUESTS_CONFIRM = "requests:confirm";

  public static final String POLICY_READ = "policy:read";
  public static final String REQUESTS = "requests:manage";
  public static final String AUDIT_WRITE = "audit:write";
  public static final String AUDIT_READ = "audit:read";
  public static final String CRYPTO_ENCRYPT = "crypto:encrypt";
  public static final String CRYPTO_DECRYPT = "crypto:decrypt";
  public static final String WEBHOOKS = "webhooks:manage";

  /** Running the retention rules and reading what they did. */
  public static final String RETENTION = "retention:manage";

  /**
   * Guardianships: marking principals as children or persons with a lawful guardian, and linking
   * the parents and guardians the fiduciary verified.
   */
  public static final String GUARDIANS = "guardians:manage";

  /** The breach register: incidents, their notifications and report drafts. */
  public static final String INCIDENTS = "incidents:manage";

  /**
   * Deterministic encryption and blind-index terms: both answer "are these two values equal?", so a
   * token that may only encrypt randomized fields cannot use them as an equality oracle.
   */
  public static final String CRYPTO_DETERMINISTIC = "crypto:deterministic";

  /** Registering, rotating, suspending and removing a tenant's Consent Managers. */
  public static final String CONSENT_MANAGERS = "consent-managers:manage";

  /**
   * A Consent Manager's integration: submitting its signed artefacts and pulling the changes made
   * directly with the fiduciary for the principals who act through it.
   */
  public static final String CONSENT_MANAGERS_SUBMIT = "consent-managers:submit";

  /** Prometheus scrapes of {@code /metrics}. */
  public static final String METRICS_READ = "metrics:read";

  /**
   * Asserting {@code actor_roles} on behalf of a backend's users in a consent check; without it the
   * roles are the token's own.
   */
  public static final String ROLES_ASSERT = "consents:assert_roles";

  /**
   * Every permission but {@link #CONSENTS_SELF}, {@link #REQUESTS_SELF}, {@link #REQUESTS_CONFIRM}.
   */
  public static final String ADMIN = "privacykit:admin";

  public static final List<String> ALL =
      List.of(
          CONSENTS_READ,
          CONSENTS_WRITE,
          POLICY_READ,
          REQUESTS,
          AUDIT_WRITE,
          AUDIT_READ,
          CRYPTO_ENCRYPT,
          CRYPTO_DECRYPT,
          CRYPTO_DETERMINISTIC,
          WEBHOOKS,
          RETENTION,
          INCIDENTS,
          GUARDIANS,
          CONSENT_MANAGERS,
          CONSENT_MANAGERS_SUBMIT,
          METRICS_READ,
          ROLES_ASSERT);

  private Scopes() {}
}
