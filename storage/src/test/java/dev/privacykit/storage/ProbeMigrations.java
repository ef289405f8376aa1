package dev.privacykit.storage;

/** A test-only module with one portable and one dialect-specific migration. */
public final class ProbeMigrations implements MigrationSource {
  @Override
  public String module() {
    return "storage_probe";
  }

  @Override
  public int order() {
    return 1;
  }
}
