package dev.privacykit.audit.internal;

import dev.privacykit.storage.MigrationSource;

/** The audit-log module's tables and append-only triggers. */
public final class AuditMigrations implements MigrationSource {
  @Override
  public String module() {
    return "audit";
  }

  @Override
  public int order() {
    return 200;
  }
}
