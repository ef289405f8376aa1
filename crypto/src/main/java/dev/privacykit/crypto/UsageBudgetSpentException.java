package dev.privacykit.crypto;

import java.security.GeneralSecurityException;

/**
 * A tenant has made all the encryptions its usage budget allows under the primary key (see {@link
 * KeyringConfig#usageBudget}). Encryption for that tenant fails until the keyring is rotated; other
 * tenants are not affected. Decryption still works.
 */
public final class UsageBudgetSpentException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;
  private final String tenant;
  private final long budget;

  /** For {@code tenant}, whose {@code budget} under key {@code keyIdHex} is spent. */
  public UsageBudgetSpentException(String keyIdHex, String tenant, long budget) {
    super(
        "key "
            + keyIdHex
            + " has reached its usage budget of "
            + budget
            + " encryptions for tenant "
            + tenant
            + "; rotate the keyring");
    this.tenant = tenant;
    this.budget = budget;
  }

  /** The tenant whose budget is spent. */
  public String tenant() {
    return tenant;
  }

  /** The budget, in encryptions per key and tenant. */
  public long budget() {
    return budget;
  }
}
