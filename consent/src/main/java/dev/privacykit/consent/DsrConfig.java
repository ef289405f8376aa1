package dev.privacykit.consent;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditRouter;
import dev.privacykit.crypto.SubjectKeys;
import java.time.Clock;
import java.util.Objects;

/** Settings of {@link DataSubjectRequests}. */
public final class DsrConfig {
  AuditRouter audit;
  SubjectKeys subjectKeys;
  ConsentLedger ledger;
  Clock clock = Clock.systemUTC();
  String actor = "svc:dsr";
  java.util.function.Supplier<dev.privacykit.policies.PolicySet> policy;
  java.time.Duration restrictionLiftNotice = java.time.Duration.ofDays(1);
  final java.util.List<SubjectDataContributor> contributors = new java.util.ArrayList<>();
  SubjectIdentifiers identifiers;
  final java.util.Map<dev.privacykit.policies.Regime, java.time.Duration> recipientPeriods =
      new java.util.EnumMap<>(
          java.util.Map.of(
              dev.privacykit.policies.Regime.GDPR, java.time.Duration.ofDays(30),
              dev.privacykit.policies.Regime.DPDP, java.time.Duration.ofDays(30)));

  DsrConfig() {}

  /** Where every request and transition is recorded; also the source of access reports. */
  public DsrConfig audit(AuditLog audit) {
    return audit(AuditRouter.of(audit));
  }

  /** As {@link #audit(AuditLog)}, each tenant's entries in its own log (such as its shard). */
  public DsrConfig audit(AuditRouter audit) {
    this.audit = Objects.requireNonNull(audit, "audit");
    return this;
  }

  /** The subject keys erasure shreds. Required for erasure. */
  public DsrConfig subjectKeys(SubjectKeys subjectKeys) {
    this.subjectKeys = Objects.requireNonNull(subjectKeys, "subjectKeys");
    return this;
  }

  /** The consent ledger whose records go into access packages. */
  public DsrConfig ledger(ConsentLedger ledger) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    return this;
  }

  /**
   * The policy whose purposes restriction and objection requests name, and whose {@code
   * direct_marketing} purposes an objection stops at once. Without it purposes are not checked and
   * objections hold only once fulfilled.
   */
  public DsrConfig policy(dev.privacykit.policies.PolicySet policy) {
    Objects.requireNonNull(policy, "policy");
    this.policy = () -> policy;
    return this;
  }

  /** A reloadable policy (see {@link #policy(dev.privacykit.policies.PolicySet)}). */
  public DsrConfig policy(dev.privacykit.policies.LivePolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy")::current;
    return this;
  }

  /**
   * How long a restriction keeps holding after it is lifted, so that the subject hears of it first
   * (GDPR Art. 18(3)): 0 to 30 days, a day by default.
   */
  public DsrConfig restrictionLiftNotice(java.time.Duration notice) {
    if (notice.isNegative() || notice.compareTo(java.time.Duration.ofDays(30)) > 0) {
      throw new IllegalArgumentException(
          "restrictionLiftNotice must be 0 to 30 days, was " + notice);
    }
    this.restrictionLiftNotice = notice;
    return this;
  }

  /**
   * How long a recipient of the policy has to confirm a rectification, erasure or restriction it
   * was told of under {@code regime}: 1 to 90 days, 30 by default under both. GDPR Art. 19 sets no
   * period; 30 days is the one month Art. 12(3) gives the controller itself. The DPDP Act s.8(7)(b)
   * sets none either; 30 days leaves the fiduciary time to chase a processor within the 90 days the
   * Rules give for a grievance.
   */
  public DsrConfig recipientConfirmation(
      dev.privacykit.policies.Regime regime, java.time.Duration period) {
    Objects.requireNonNull(regime, "regime");
    if (period.compareTo(java.time.Duration.ofDays(1)) < 0
        || period.compareTo(java.time.Duration.ofDays(90)) > 0) {
      throw new IllegalArgumentException(
          "recipientConfirmation must be 1 to 90 days, was " + period);
    }
    recipientPeriods.put(regime, period);
    return this;
  }

  /** The clock due dates are computed with (tests use a fixed one). */
  public DsrConfig clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** The actor named in audit entries; {@code svc:dsr} by default. */
  public DsrConfig actor(String actor) {
    if (actor == null || actor.isBlank() || actor.length() > 256) {
      throw new IllegalArgumentException("actor must be 1 to 256 characters");
    }
    this.actor = actor;
    return this;
  }

  /**
   * Adds a contributor of the host backend's data to access and portability packages. Its name must
   * be 1 to 64 of {@code a-z 0-9 _ -} and unique.
   */
  public DsrConfig contributor(SubjectDataContributor contributor) {
    Objects.requireNonNull(contributor, "contributor");
    String name = contributor.name();
    if (name == null || !Contribution.NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a contributor's name must be 1 to 64 of a-z 0-9 _ -, starting with a letter");
    }
    if (contributors.stream().anyMatch(c -> c.name().equals(name))) {
      throw new IllegalArgumentException(
          "a contributor named '" + name + "' is already registered");
    }
    contributors.add(contributor);
    return this;
  }

  /**
   * Adds every {@link SubjectDataContributor} that {@link java.util.ServiceLoader} finds on the
   * class path (each named in a {@code
   * META-INF/services/dev.privacykit.consent.SubjectDataContributor} file).
   */
  public DsrConfig discoverContributors() {
    return discoverContributors(Thread.currentThread().getContextClassLoader());
  }

  /** Like {@link #discoverContributors()}, looking in {@code loader}. */
  public DsrConfig discoverContributors(ClassLoader loader) {
    for (SubjectDataContributor found :
        java.util.ServiceLoader.load(SubjectDataContributor.class, loader)) {
      contributor(found);
    }
    return this;
  }

  /**
   * The identifiers (e-mail addresses, phone numbers) subjects gave, which portability exports
   * include, decrypted.
   */
  public DsrConfig identifiers(SubjectIdentifiers identifiers) {
    this.identifiers = Objects.requireNonNull(identifiers, "identifiers");
    return this;
  }
}
