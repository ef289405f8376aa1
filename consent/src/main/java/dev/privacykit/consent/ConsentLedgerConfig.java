package dev.privacykit.consent;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditRouter;
import dev.privacykit.policies.LivePolicy;
import dev.privacykit.policies.PolicySet;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/** Settings of a {@link ConsentLedger}; checked when set. */
public final class ConsentLedgerConfig {
  Supplier<PolicySet> policy;
  AuditRouter audit;
  Duration cacheTtl = Duration.ofSeconds(30);
  String actor = "svc:consent-ledger";

  ConsentLedgerConfig() {}

  /** The policy consents are checked against. Required. */
  public ConsentLedgerConfig policy(PolicySet policy) {
    Objects.requireNonNull(policy, "policy");
    this.policy = () -> policy;
    return this;
  }

  /** A reloadable policy: each change is checked against the one in force. */
  public ConsentLedgerConfig policy(LivePolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy")::current;
    return this;
  }

  /** Where every change is also recorded (CONSENT_GIVEN, CONSENT_WITHDRAWN, ...). */
  public ConsentLedgerConfig audit(AuditLog audit) {
    return audit(AuditRouter.of(audit));
  }

  /** As {@link #audit(AuditLog)}, each tenant's entries in its own log (such as its shard). */
  public ConsentLedgerConfig audit(AuditRouter audit) {
    this.audit = Objects.requireNonNull(audit, "audit");
    return this;
  }

  /** The actor named in audit entries the ledger writes; {@code svc:consent-ledger} by default. */
  public ConsentLedgerConfig actor(String actor) {
    if (actor == null || actor.isBlank() || actor.length() > 256) {
      throw new IllegalArgumentException("actor must be 1 to 256 characters");
    }
    this.actor = actor;
    return this;
  }

  /**
   * How long a cached consent answer may be served (100 ms to 10 min; 30 s by default). Changes in
   * any process sharing the database drop cached answers at once; this bounds staleness if a
   * notification is lost.
   */
  public ConsentLedgerConfig cacheTtl(Duration ttl) {
    if (ttl.compareTo(Duration.ofMillis(100)) < 0 || ttl.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("cacheTtl must be 100 ms to 10 min, was " + ttl);
    }
    this.cacheTtl = ttl;
    return this;
  }
}
