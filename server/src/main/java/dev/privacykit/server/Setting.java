package dev.privacykit.server;

/**
 * Every setting of the standalone service: its key in the YAML file (dotted path), its environment
 * variable, and its default. The environment wins over the file; command-line flags win over both.
 * The README's configuration table lists exactly these (a test checks it).
 */
public enum Setting {
  MODE("mode", "PRIVACYKIT_MODE", "development", "development or production"),
  HOST("server.host", "PRIVACYKIT_HOST", "127.0.0.1", "address to bind"),
  PORT("server.port", "PRIVACYKIT_PORT", "8080", "TCP port; 0 picks a free one"),
  MANAGEMENT_PORT(
      "server.management_port",
      "PRIVACYKIT_MANAGEMENT_PORT",
      "",
      "loopback-only port serving GET /metrics without a token; empty: none, 0: a free one"),
  DATA_DIR(
      "data_dir",
      "PRIVACYKIT_DATA_DIR",
      "privacykit-data",
      "embedded database and development keys"),
  DATABASE_URL(
      "database.url", "PRIVACYKIT_DATABASE_URL", "", "PostgreSQL JDBC URL; embedded H2 when empty"),
  DATABASE_REPLICA_URL(
      "database.replica_url",
      "PRIVACYKIT_DATABASE_REPLICA_URL",
      "",
      "PostgreSQL streaming replica serving audit listings and reports once caught up; none when"
          + " empty"),
  DATABASE_SCHEMA(
      "database.schema",
      "PRIVACYKIT_DATABASE_SCHEMA",
      "",
      "PostgreSQL schema, created if missing; the connection's default when empty"),
  POLICY_FILE(
      "policy.file", "PRIVACYKIT_POLICY_FILE", "", "policy YAML; the GDPR starter pack when empty"),
  ISSUER("auth.issuer", "PRIVACYKIT_ISSUER", "", "accepted token issuers (iss), comma-separated"),
  JWKS_URL(
      "auth.jwks_url", "PRIVACYKIT_JWKS_URL", "", "each issuer's JWKS URL, in the issuers' order"),
  JWKS_FILE("auth.jwks_file", "PRIVACYKIT_JWKS_FILE", "", "or local JWKS files, in that order"),
  ISSUER_TENANTS(
      "auth.issuer_tenants",
      "PRIVACYKIT_ISSUER_TENANTS",
      "",
      "the tenants each issuer may assert, in the issuers' order: ';' between issuers, ','"
          + " between tenants, * for any"),
  AUDIENCE(
      "auth.audience",
      "PRIVACYKIT_AUDIENCE",
      "privacykit",
      "accepted token audiences (aud), comma-separated"),
  TENANT_CLAIM("auth.tenant_claim", "PRIVACYKIT_TENANT_CLAIM", "tenant", "claim naming the tenant"),
  KEY_SOURCE(
      "keys.source",
      "PRIVACYKIT_KEY_SOURCE",
      "",
      "root key: env:VARIABLE (base64, 32 bytes) or file:PATH (passphrase in"
          + " PRIVACYKIT_KEY_PASSPHRASE)"),
  KEY_PASSPHRASE(
      "keys.passphrase",
      "PRIVACYKIT_KEY_PASSPHRASE",
      "",
      "passphrase of a file: key source; environment only, never in the YAML file"),
  KEY_USAGE_BUDGET(
      "keys.usage_budget",
      "PRIVACYKIT_KEY_USAGE_BUDGET",
      "1073741824",
      "encryptions each tenant may make under one key before the keyring must be rotated (1 to"
          + " 2^31)"),
  CONTROLLER(
      "controller.name", "PRIVACYKIT_CONTROLLER", "Example Controller", "controller on receipts"),
  CONTROLLER_CONTACT(
      "controller.contact",
      "PRIVACYKIT_CONTROLLER_CONTACT",
      "privacy@example.com",
      "contact on receipts"),
  AUDIT_RETENTION_DAYS(
      "audit.retention_days",
      "PRIVACYKIT_AUDIT_RETENTION_DAYS",
      "0",
      "prune audit entries older than this (0 keeps everything)"),
  AUDIT_VERIFY_EVERY_MINUTES(
      "audit.verify_every_minutes",
      "PRIVACYKIT_AUDIT_VERIFY_EVERY_MINUTES",
      "60",
      "verify the audit log incrementally this often (0: only when asked)"),
  AUDIT_VERIFIER_KEY(
      "audit.verifier_key",
      "PRIVACYKIT_AUDIT_VERIFIER_KEY",
      "",
      "the pinned checkpoint verifier key (printed at first start); the database's when empty"),
  AUDIT_SHARDS(
      "audit.shards",
      "PRIVACYKIT_AUDIT_SHARDS",
      "1",
      "audit log shards (1 to 16), tenants placed by hash; fixed at the first start"),
  AUDIT_WITNESSES(
      "audit.witnesses",
      "PRIVACYKIT_AUDIT_WITNESSES",
      "",
      "witnesses to publish checkpoints to: URL=verifier key, comma-separated"),
  AUDIT_WITNESS_QUORUM(
      "audit.witness_quorum",
      "PRIVACYKIT_AUDIT_WITNESS_QUORUM",
      "",
      "witnesses that must cosign a checkpoint for it to count as published; all when empty"),
  INCIDENT_SCAN_MINUTES(
      "incidents.scan_window_minutes",
      "PRIVACYKIT_INCIDENTS_SCAN_WINDOW_MINUTES",
      "60",
      "the breach detector scans the audit log in windows this long (0: no scans)"),
  INCIDENT_DECRYPTS(
      "incidents.decrypt_threshold",
      "PRIVACYKIT_INCIDENTS_DECRYPT_THRESHOLD",
      "1000",
      "decrypts by one actor in a window that raise an incident candidate"),
  INCIDENT_EXPORTS(
      "incidents.export_threshold",
      "PRIVACYKIT_INCIDENTS_EXPORT_THRESHOLD",
      "100",
      "exports by one actor in a window that raise an incident candidate"),
  INCIDENT_DENIALS(
      "incidents.denied_threshold",
      "PRIVACYKIT_INCIDENTS_DENIED_THRESHOLD",
      "20",
      "denied accesses of one actor in a window that raise an incident candidate"),
  RETENTION_RUN_EVERY_MINUTES(
      "retention.run_every_minutes",
      "PRIVACYKIT_RETENTION_RUN_EVERY_MINUTES",
      "60",
      "apply the policy's retention rules this often (0: only when asked)"),
  RETENTION_NOTICE_HOURS(
      "retention.notice_hours",
      "PRIVACYKIT_RETENTION_NOTICE_HOURS",
      "48",
      "tell an inactive principal this long before erasure (48, the DPDP rule 8(2) least, to 720)"),
  CONSENT_MANAGER_MAX_AGE_MINUTES(
      "consent_managers.max_age_minutes",
      "PRIVACYKIT_CONSENT_MANAGER_MAX_AGE_MINUTES",
      "10",
      "refuse a Consent Manager artefact whose iat is older than this (1 to 1440)"),
  RATE_PER_IP(
      "limits.per_ip_per_minute",
      "PRIVACYKIT_RATE_PER_IP",
      "1200",
      "requests a minute per IP without a valid token"),
  RATE_PER_PRINCIPAL(
      "limits.per_principal_per_minute",
      "PRIVACYKIT_RATE_PER_PRINCIPAL",
      "60000",
      "requests a minute per token (tenant, issuer, subject)"),
  RATE_PER_SCOPE(
      "limits.per_scope_per_minute",
      "PRIVACYKIT_RATE_PER_SCOPE",
      "",
      "scope=limit pairs, comma-separated: tokens with the scope get the larger limit"),
  TRUSTED_PROXIES(
      "trusted_proxies",
      "PRIVACYKIT_TRUSTED_PROXIES",
      "",
      "comma-separated proxy addresses whose X-Forwarded-For is believed"),
  LOG_FORMAT(
      "log.format", "PRIVACYKIT_LOG_FORMAT", "text", "text, or json: one JSON object per line"),
  CORS_ORIGINS(
      "cors.origins", "PRIVACYKIT_CORS_ORIGINS", "", "comma-separated exact browser origins"),
  HOST_DATA_URLS(
      "requests.host_data_urls",
      "PRIVACYKIT_HOST_DATA_URLS",
      "",
      "tenant=https URL pairs, comma-separated: the host backend asked (signed POST) for a"
          + " subject's data in access and portability packages"),
  HOST_DATA_SECRET(
      "requests.host_data_secret",
      "PRIVACYKIT_HOST_DATA_SECRET",
      "",
      "key (at least 32 characters) signing those calls as webhooks are signed; environment only,"
          + " never in the YAML file"),
  HOST_DATA_TIMEOUT_MS(
      "requests.host_data_timeout_ms",
      "PRIVACYKIT_HOST_DATA_TIMEOUT_MS",
      "5000",
      "milliseconds the host backend has for its whole answer (100 to 60000)"),
  HOST_DATA_MAX_BYTES(
      "requests.host_data_max_bytes",
      "PRIVACYKIT_HOST_DATA_MAX_BYTES",
      "4194304",
      "largest answer taken from the host backend, in bytes (1024 to 67108864)"),
  INSECURE_HOST_DATA_HTTP(
      "requests.insecure_host_data_http",
      "PRIVACYKIT_INSECURE_HOST_DATA_HTTP",
      "false",
      "true lets a host data URL use plain http to a loopback address (local development only)");

  public final String key;
  public final String env;
  public final String defaultValue;
  public final String description;

  Setting(String key, String env, String defaultValue, String description) {
    this.key = key;
    this.env = env;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** How the setting is named in messages: {@code server.port (PRIVACYKIT_PORT)}. */
  public String label() {
    return key + " (" + env + ")";
  }
}
