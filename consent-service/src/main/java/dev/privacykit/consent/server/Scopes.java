package dev.privacykit.consent.server;

import java.util.List;

/** The permissions of the HTTP API; a token's scopes name them, or {@link #ADMIN} for all. */
final class Scopes {
  static final String CONSENTS_READ = "consents:read";
  static final String CONSENTS_WRITE = "consents:write";

  /** A data principal's own token: read and change its own consents only. */
  static final String CONSENTS_SELF = "consents:self";

  static final String POLICY_READ = "policy:read";
  static final String REQUESTS = "requests:manage";
  static final String AUDIT_WRITE = "audit:write";
  static final String AUDIT_READ = "audit:read";
  static final String CRYPTO_ENCRYPT = "crypto:encrypt";
  static final String CRYPTO_DECRYPT = "crypto:decrypt";
  static final String WEBHOOKS = "webhooks:manage";

  /** Every permission but {@link #CONSENTS_SELF}. */
  static final String ADMIN = "privacykit:admin";

  static final List<String> ALL =
      List.of(
          CONSENTS_READ,
          CONSENTS_WRITE,
          POLICY_READ,
          REQUESTS,
          AUDIT_WRITE,
          AUDIT_READ,
          CRYPTO_ENCRYPT,
          CRYPTO_DECRYPT,
          WEBHOOKS);

  private Scopes() {}
}
