package dev.privacykit.consent.server;

import dev.privacykit.storage.MigrationSource;

/** The consent-service module's tables, migrated after crypto and audit-log. */
public final class ServiceMigrations implements MigrationSource {
  @Override
  public String module() {
    return "consent";
  }

  @Override
  public int order() {
    return 300;
  }
}
