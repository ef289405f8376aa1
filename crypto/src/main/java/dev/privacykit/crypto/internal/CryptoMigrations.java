package dev.privacykit.crypto.internal;

import dev.privacykit.storage.MigrationSource;

/** The crypto module's tables: keyring, tenant and subject keys, rewrap checkpoints. */
public final class CryptoMigrations implements MigrationSource {
  @Override
  public String module() {
    return "crypto";
  }

  @Override
  public int order() {
    return 100;
  }
}
