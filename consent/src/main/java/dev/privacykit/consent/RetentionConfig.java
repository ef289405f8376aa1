package dev.privacykit.consent;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditRouter;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.policies.LivePolicy;
import dev.privacykit.policies.PolicySet;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/** Settings of {@link RetentionExecutor}. */
public final class RetentionConfig {
  /** The least notice before an erasure for inactivity: DPDP Rules 2025, rule 8(2). */
  public static final Duration MIN_NOTICE = Duration.ofHours(48);

  Supplier<PolicySet> policy;
  AuditRouter audit;
  SubjectKeys subjectKeys;
  Clock clock = Clock.systemUTC();
  Duration notice = MIN_NOTICE;
  int limit = 10_000;
  String actor = "svc:retention";

  RetentionConfig() {}

  /** The policy whose retention rules run. Required. */
  public RetentionConfig policy(PolicySet policy) {
    Objects.requireNonNull(policy, "policy");
    this.policy = () -> policy;
    return this;
  }

  /** A reloadable policy: each run applies the rules in force. */
  public RetentionConfig policy(LivePolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy")::current;
    return this;
  }

  /** Where every action is recorded. */
  public RetentionConfig audit(AuditLog audit) {
    return audit(AuditRouter.of(audit));
  }

  /** As {@link #audit(AuditLog)}, each tenant's entries in its own log (such as its shard). */
  public RetentionConfig audit(AuditRouter audit) {
    this.audit = Objects.requireNonNull(audit, "audit");
    return this;
  }

  /** The subject keys an erasure for inactivity shreds. Required for such rules. */
  public RetentionConfig subjectKeys(SubjectKeys subjectKeys) {
    this.subjectKeys = Objects.requireNonNull(subjectKeys, "subjectKeys");
    return this;
  }

  /** The clock runs are timed with (tests move it). */
  public RetentionConfig clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * How long before an erasure for inactivity the principal is told: 48 hours (the least rule 8(2)
   * allows) to 30 days.
   */
  public RetentionConfig notice(Duration notice) {
    if (notice.compareTo(MIN_NOTICE) < 0 || notice.compareTo(Duration.ofDays(30)) > 0) {
      throw new IllegalArgumentException("notice must be 48 hours to 30 days, was " + notice);
    }
    this.notice = notice;
    return this;
  }

  /** How many actions one run takes at most (1 to 1,000,000); the next run goes on. */
  public RetentionConfig limit(int limit) {
    if (limit < 1 || limit > 1_000_000) {
      throw new IllegalArgumentException("limit must be 1 to 1000000, was " + limit);
    }
    this.limit = limit;
    return this;
  }
}
