package dev.privacykit.consent;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditRouter;
import java.time.Clock;
import java.util.Objects;

/** Settings of {@link Guardians}; checked when set. */
public final class GuardiansConfig {
  AuditRouter audit;
  ConsentLedger ledger;
  Clock clock = Clock.systemUTC();
  int maxActiveGuardians = 4;

  GuardiansConfig() {}

  /** The audit log every change is recorded in. Required. */
  public GuardiansConfig audit(AuditLog audit) {
    return audit(AuditRouter.of(audit));
  }

  /** As {@link #audit(AuditLog)}, each tenant's entries in its own log (such as its shard). */
  public GuardiansConfig audit(AuditRouter audit) {
    this.audit = Objects.requireNonNull(audit, "audit");
    return this;
  }

  /**
   * The consent ledger whose answers the guardianships change (its cache is told, in every process,
   * when a marking or link changes) and whose policy sets a child's age. Required.
   */
  public GuardiansConfig ledger(ConsentLedger ledger) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    return this;
  }

  /** The clock of the register's times and of the 5-minute limit on future times. */
  public GuardiansConfig clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** How many guardians a ward may have linked at once, 1 to 10; 4 by default. */
  public GuardiansConfig maxActiveGuardians(int guardians) {
    if (guardians < 1 || guardians > 10) {
      throw new IllegalArgumentException("maxActiveGuardians must be 1 to 10, was " + guardians);
    }
    this.maxActiveGuardians = guardians;
    return this;
  }
}
