package dev.privacykit.consent;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditRouter;
import dev.privacykit.policies.Regime;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** Settings of {@link Incidents}; checked when set. */
public final class IncidentsConfig {
  AuditRouter audit;
  Clock clock = Clock.systemUTC();
  String actor = "svc:incidents";
  int decryptThreshold = 1_000;
  int exportThreshold = 100;
  int deniedThreshold = 20;
  List<String> tenants = List.of();
  Regime regime = Regime.GDPR;

  IncidentsConfig() {}

  /**
   * The audit log: where every step is recorded, and what affected principals and suspicious
   * patterns are found in. Required.
   */
  public IncidentsConfig audit(AuditLog audit) {
    return audit(AuditRouter.of(audit));
  }

  /** As {@link #audit(AuditLog)}, each tenant's entries in its own log (such as its shard). */
  public IncidentsConfig audit(AuditRouter audit) {
    this.audit = Objects.requireNonNull(audit, "audit");
    return this;
  }

  /** The clock due dates and the 5-minute limit on future detection times use. */
  public IncidentsConfig clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** The actor named in audit entries; {@code svc:incidents} by default. */
  public IncidentsConfig actor(String actor) {
    if (actor == null || actor.isBlank() || actor.length() > 256) {
      throw new IllegalArgumentException("actor must be 1 to 256 characters");
    }
    this.actor = actor;
    return this;
  }

  /**
   * How many DECRYPT entries by one actor within one detector window raise a candidate (1 to
   * 10,000,000; 1,000 by default).
   */
  public IncidentsConfig decryptThreshold(int entries) {
    this.decryptThreshold = threshold("decryptThreshold", entries);
    return this;
  }

  /** How many EXPORT entries by one actor within one window raise a candidate (100 by default). */
  public IncidentsConfig exportThreshold(int entries) {
    this.exportThreshold = threshold("exportThreshold", entries);
    return this;
  }

  /** How many denied accesses of one actor within one window raise a candidate (20 by default). */
  public IncidentsConfig deniedThreshold(int entries) {
    this.deniedThreshold = threshold("deniedThreshold", entries);
    return this;
  }

  /**
   * Tenants the detector scans besides those this module already knows (tenants with consent
   * records, requests, webhook recipients or incidents): a tenant that only appends audit entries
   * or uses encryption should be named here.
   */
  public IncidentsConfig tenants(Collection<String> tenants) {
    this.tenants = List.copyOf(tenants);
    return this;
  }

  /** The regime candidates the detector raises are handled under; GDPR by default. */
  public IncidentsConfig regime(Regime regime) {
    this.regime = Objects.requireNonNull(regime, "regime");
    return this;
  }

  private static int threshold(String name, int entries) {
    if (entries < 1 || entries > 10_000_000) {
      throw new IllegalArgumentException(name + " must be 1 to 10000000, was " + entries);
    }
    return entries;
  }
}
