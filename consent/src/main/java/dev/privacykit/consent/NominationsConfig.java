package dev.privacykit.consent;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditRouter;
import java.time.Clock;
import java.util.Objects;

/** Settings of {@link Nominations}; checked when set. */
public final class NominationsConfig {
  AuditRouter audit;
  DataSubjectRequests requests;
  Clock clock = Clock.systemUTC();
  int maxActiveNominees = 1;

  NominationsConfig() {}

  /** The audit log every change of the register is recorded in. Required. */
  public NominationsConfig audit(AuditLog audit) {
    return audit(AuditRouter.of(audit));
  }

  /** As {@link #audit(AuditLog)}, each tenant's entries in its own log (such as its shard). */
  public NominationsConfig audit(AuditRouter audit) {
    this.audit = Objects.requireNonNull(audit, "audit");
    return this;
  }

  /** The data-subject requests nominees file for principals; without it they can file none. */
  public NominationsConfig requests(DataSubjectRequests requests) {
    this.requests = Objects.requireNonNull(requests, "requests");
    return this;
  }

  /** The clock of the register's times and of the 5-minute limit on future times. */
  public NominationsConfig clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * How many nominees a principal may have active at once, 1 to 10; 1 by default, as the Act speaks
   * of "any other individual" (the Rules let the fiduciary's terms of service allow more).
   */
  public NominationsConfig maxActiveNominees(int nominees) {
    if (nominees < 1 || nominees > 10) {
      throw new IllegalArgumentException("maxActiveNominees must be 1 to 10, was " + nominees);
    }
    this.maxActiveNominees = nominees;
    return this;
  }
}
