package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** The dashboard's counts come from the ledger as it is, per tenant, day by day, in UTC. */
class ConsentFiguresTest {

  private static ConsentChange change(String tenant, String purpose, Instant at) {
    return ConsentChange.of(tenant, "subj_" + UUID.randomUUID(), purpose, 2, "en")
        .withEvidence(ConsentMethod.FORM, Evidence.at(at));
  }

  @DatabaseTest
  void decisionsAreCountedPerPurposeAndDay_zeroFilled_andOtherTenantsAreNotSeen(Database db) {
    String tenant = "fig-" + UUID.randomUUID();
    String other = "fig-other-" + UUID.randomUUID();
    Instant now = Instant.now();
    LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(PolicyPacks.gdpr()))) {
      ledger.give(change(tenant, "email_marketing", now));
      ledger.give(change(tenant, "email_marketing", now));
      ledger.refuse(change(tenant, "email_marketing", now));
      ConsentChange withdrawn = change(tenant, "email_marketing", now.minus(Duration.ofDays(3)));
      ledger.give(withdrawn);
      ledger.withdraw(
          ConsentChange.of(tenant, withdrawn.subject(), "email_marketing", 2, "en")
              .withEvidence(ConsentMethod.FORM, Evidence.at(now)));
      // given two years and three days ago: its two-year validity ended a few days ago
      ledger.give(change(tenant, "email_marketing", now.minus(Duration.ofDays(2 * 365 + 3))));
      ledger.give(change(other, "email_marketing", now));

      ConsentFigures figures = new ConsentFigures(db);
      List<ConsentFigures.PurposeSeries> series =
          figures.series(tenant, today.minusDays(6), today, List.of("targeted_advertising"));

      assertThat(series)
          .extracting(ConsentFigures.PurposeSeries::purpose)
          .containsExactly("email_marketing", "targeted_advertising");
      List<ConsentFigures.Day> days = series.get(0).days();
      assertThat(days).hasSize(7);
      assertThat(days.get(0).day()).isEqualTo(today.minusDays(6));
      assertThat(days.get(6)).isEqualTo(new ConsentFigures.Day(today, 2, 1, 1, 0));
      assertThat(days.get(3).given()).isEqualTo(1);
      long expired = days.stream().mapToLong(ConsentFigures.Day::expired).sum();
      assertThat(expired).isEqualTo(1);
      assertThat(series.get(1).days()).allMatch(d -> d.given() + d.refused() == 0);

      assertThat(figures.withdrawalsSince(tenant, now.minus(Duration.ofHours(24)))).isEqualTo(1);
      assertThat(figures.withdrawalsSince(other, now.minus(Duration.ofHours(24)))).isZero();
      assertThat(figures.states())
          .contains(new ConsentFigures.StateCount("email_marketing", "EXPIRED", 1))
          .anyMatch(s -> s.state().equals("WITHDRAWN") && s.count() >= 1);
    }
  }
}
