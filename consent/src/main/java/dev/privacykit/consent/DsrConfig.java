package dev.privacykit.consent;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.crypto.SubjectKeys;
import java.time.Clock;
import java.util.Objects;

/** Settings of {@link DataSubjectRequests}. */
public final class DsrConfig {
  AuditLog audit;
  SubjectKeys subjectKeys;
  ConsentLedger ledger;
  Clock clock = Clock.systemUTC();
  String actor = "svc:dsr";

  DsrConfig() {}

  /** Where every request and transition is recorded; also the source of access reports. */
  public DsrConfig audit(AuditLog audit) {
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
}
