package dev.privacykit.consent;

import dev.privacykit.policies.LivePolicy;
import dev.privacykit.policies.PolicySet;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/** Settings of {@link ConsentManagers}; checked when set. */
public final class ConsentManagersConfig {
  ConsentLedger ledger;
  Supplier<PolicySet> policy;
  Duration maxAge = Duration.ofMinutes(10);

  ConsentManagersConfig() {}

  /** The ledger the artefacts' changes are recorded in. Required. */
  public ConsentManagersConfig ledger(ConsentLedger ledger) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    return this;
  }

  /** The policy (its purposes and its {@code consent_managers}). Required. */
  public ConsentManagersConfig policy(PolicySet policy) {
    Objects.requireNonNull(policy, "policy");
    this.policy = () -> policy;
    return this;
  }

  /** A reloadable policy. */
  public ConsentManagersConfig policy(LivePolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy")::current;
    return this;
  }

  /**
   * How old an artefact's {@code iat} may be when it arrives (1 minute to 24 hours; 10 minutes by
   * default): an older one is refused, which bounds how long a captured artefact stays usable.
   */
  public ConsentManagersConfig maxAge(Duration maxAge) {
    if (maxAge.compareTo(Duration.ofMinutes(1)) < 0 || maxAge.compareTo(Duration.ofHours(24)) > 0) {
      throw new IllegalArgumentException("maxAge must be 1 minute to 24 hours, was " + maxAge);
    }
    this.maxAge = maxAge;
    return this;
  }
}
