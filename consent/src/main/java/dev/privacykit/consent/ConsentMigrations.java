package dev.privacykit.consent;

import dev.privacykit.storage.MigrationSource;

/**
 * The consent library's tables (installation, ledger, requests, webhooks, receipts and
 * identifiers), migrated after crypto and audit-log. Found through {@link java.util.ServiceLoader};
 * the module name and its Flyway history table ({@code flyway_history_consent}) are unchanged since
 * the library was split from the server, so existing databases migrate as before.
 */
public final class ConsentMigrations implements MigrationSource {
  @Override
  public String module() {
    return "consent";
  }

  @Override
  public int order() {
    return 300;
  }
}
