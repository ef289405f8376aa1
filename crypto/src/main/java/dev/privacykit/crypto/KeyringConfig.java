package dev.privacykit.crypto;

/** Settings of a {@link Keyring}; values are checked when set. */
public final class KeyringConfig {
  /**
   * Default usage budget per key and tenant: 2^30 encryptions, a quarter of GCM's 2^32 random-nonce
   * limit.
   */
  public static final long DEFAULT_USAGE_BUDGET = 1L << 30;

  long usageBudget = DEFAULT_USAGE_BUDGET;

  KeyringConfig() {}

  /**
   * How many encryptions one key may make for one tenant before the keyring must be rotated: 1 to
   * 2^31. A persisted keyring counts across processes and restarts by reserving blocks in the
   * database. Tenants do not share a budget: each tenant's subkeys are its own.
   */
  public KeyringConfig usageBudget(long encryptions) {
    if (encryptions < 1 || encryptions > (1L << 31)) {
      throw new IllegalArgumentException("usageBudget must be 1 to 2^31, was " + encryptions);
    }
    this.usageBudget = encryptions;
    return this;
  }
}
