package dev.privacykit.consent;

import dev.privacykit.policies.Regime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Regime-aware deadlines. GDPR (Art. 12(3)): one calendar month from receipt, extendable by up to
 * two further months with reasons; "one month" from 31 January ends on the last day of February.
 * DPDP (Rules 2025): 90 days. The clock stops while the requester's identity is being verified.
 */
final class DueDates {
  static final Duration DPDP_PERIOD = Duration.ofDays(90);

  private DueDates() {}

  static Instant due(Regime regime, Instant received, int extendedMonths, long pausedSeconds) {
    Instant base =
        regime == Regime.GDPR
            ? received.atOffset(ZoneOffset.UTC).plusMonths(1 + extendedMonths).toInstant()
            : received.plus(DPDP_PERIOD);
    return base.plusSeconds(pausedSeconds);
  }
}
