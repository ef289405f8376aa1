package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.policies.ConsentAnswer;
import dev.privacykit.policies.DecisionEngine;
import dev.privacykit.policies.DecisionRequest;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.policies.ProcessingHold;
import dev.privacykit.policies.ReasonCode;
import dev.privacykit.policies.Regime;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Restriction (GDPR Art. 18) and objection (Art. 21) take effect in the decision engine: on
 * fulfilment, at once through a warm cache, per tenant and subject; an objection to direct
 * marketing from the moment it is made and for good; a lifted restriction only after the subject
 * has been told.
 */
class ProcessingHoldsTest {
  private static final PolicySet GDPR = PolicyPacks.gdpr();

  private static String subject() {
    return "subj_" + UUID.randomUUID();
  }

  private static ReasonCode decide(
      DecisionEngine engine, String tenant, String subject, String purpose) {
    return decide(engine, tenant, subject, purpose, Instant.now());
  }

  private static ReasonCode decide(
      DecisionEngine engine, String tenant, String subject, String purpose, Instant at) {
    return engine
        .decide(
            new DecisionRequest(tenant, subject, purpose, Set.of(), Set.of("orders"), false, at))
        .reason();
  }

  private static DataSubjectRequests requests(Database db, ConsentLedger ledger) {
    return DataSubjectRequests.open(db, c -> c.ledger(ledger).policy(GDPR));
  }

  /** The types of webhook events queued for a tenant, oldest first. */
  private static List<String> announced(Database db, String tenant) throws Exception {
    List<String> types = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT type FROM webhook_outbox WHERE tenant = ? ORDER BY created_at, type")) {
      s.setString(1, tenant);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          types.add(rs.getString(1));
        }
      }
    }
    return types;
  }

  @DatabaseTest
  void fulfilledRestriction_deniesAtOnceThroughAWarmCache_andOnlyForThatTenantAndSubject(
      Database db) throws Exception {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(GDPR))) {
      DecisionEngine engine = new DecisionEngine(GDPR, ledger.lookup());
      String tenant = "t-" + UUID.randomUUID();
      String subject = subject();
      String bystander = subject();
      assertThat(decide(engine, tenant, subject, "order_fulfilment"))
          .isEqualTo(ReasonCode.LAWFUL_BASIS); // warms the cache
      DataSubjectRequests requests = requests(db, ledger);
      DataSubjectRequest restriction =
          requests.submit(
              RequestIntake.of(tenant, subject, RequestType.RESTRICTION, Regime.GDPR, true)
                  .purposes(List.of("order_fulfilment", "fraud_prevention")));
      assertThat(restriction.purposes()).containsExactly("order_fulfilment", "fraud_prevention");
      assertThat(decide(engine, tenant, subject, "order_fulfilment"))
          .as("a restriction holds once fulfilled, not when asked")
          .isEqualTo(ReasonCode.LAWFUL_BASIS);

      requests.fulfil(restriction.id(), "accuracy contested; processing restricted");

      assertThat(decide(engine, tenant, subject, "order_fulfilment"))
          .isEqualTo(ReasonCode.PROCESSING_RESTRICTED);
      assertThat(decide(engine, tenant, subject, "fraud_prevention"))
          .isEqualTo(ReasonCode.PROCESSING_RESTRICTED);
      assertThat(decide(engine, tenant, subject, "bookkeeping"))
          .as("a purpose the restriction does not name")
          .isEqualTo(ReasonCode.LAWFUL_BASIS);
      assertThat(decide(engine, tenant, bystander, "order_fulfilment"))
          .isEqualTo(ReasonCode.LAWFUL_BASIS);
      assertThat(decide(engine, "other-" + tenant, subject, "order_fulfilment"))
          .isEqualTo(ReasonCode.LAWFUL_BASIS);
      assertThat(announced(db, tenant))
          .containsExactly("processing.restricted", "processing.restricted");
      ConsentAnswer answer = ledger.current(tenant, subject, "order_fulfilment");
      assertThat(answer.hold().kind()).isEqualTo(ProcessingHold.Kind.RESTRICTION);
      assertThat(answer.hold().liftsAt()).isNull();
    }
  }

  @DatabaseTest
  void liftingARestriction_tellsTheSubjectFirst_andHoldsUntilTheNoticeHasRun(Database db)
      throws Exception {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(GDPR))) {
      DecisionEngine engine = new DecisionEngine(GDPR, ledger.lookup());
      String tenant = "t-" + UUID.randomUUID();
      String subject = subject();
      DataSubjectRequests requests = requests(db, ledger);
      DataSubjectRequest restriction =
          requests.submit(
              RequestIntake.of(tenant, subject, RequestType.RESTRICTION, Regime.GDPR, true));
      assertThatThrownBy(() -> requests.liftRestriction(restriction.id(), "verified"))
          .hasMessageContaining("that step needs it to be [FULFILLED]");
      requests.fulfil(restriction.id(), null);
      assertThat(decide(engine, tenant, subject, "bookkeeping"))
          .as("a restriction naming no purpose covers every purpose")
          .isEqualTo(ReasonCode.PROCESSING_RESTRICTED);

      Instant before = Instant.now();
      DataSubjectRequest lifted = requests.liftRestriction(restriction.id(), "accuracy verified");
      assertThat(lifted.status()).isEqualTo(RequestStatus.FULFILLED);
      assertThat(announced(db, tenant))
          .containsExactly("processing.restricted", "restriction.lifting");
      ProcessingHold hold = ledger.current(tenant, subject, "bookkeeping").hold();
      assertThat(hold.liftsAt())
          .isBetween(before.plus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(1)));
      assertThat(decide(engine, tenant, subject, "bookkeeping"))
          .as("still held while the subject is being told")
          .isEqualTo(ReasonCode.PROCESSING_RESTRICTED);
      assertThat(decide(engine, tenant, subject, "bookkeeping", hold.liftsAt()))
          .isEqualTo(ReasonCode.LAWFUL_BASIS);
      assertThatThrownBy(() -> requests.liftRestriction(restriction.id(), "again"))
          .isInstanceOf(ConsentException.class)
          .hasMessage("request " + restriction.id() + " has no restriction in force to lift");
      assertThat(requests.history(restriction.id())).hasSize(3);
    }
  }

  @DatabaseTest
  void objectionToDirectMarketing_holdsFromIntake_andCannotBeRefused(Database db) throws Exception {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(GDPR))) {
      DecisionEngine engine = new DecisionEngine(GDPR, ledger.lookup());
      String tenant = "t-" + UUID.randomUUID();
      String subject = subject();
      assertThat(decide(engine, tenant, subject, "postal_offers"))
          .isEqualTo(ReasonCode.LAWFUL_BASIS);
      DataSubjectRequests requests = requests(db, ledger);
      DataSubjectRequest objection =
          requests.submit(
              RequestIntake.of(tenant, subject, RequestType.OBJECTION, Regime.GDPR, false)
                  .purposes(List.of("postal_offers"))
                  .filedBy(RequestFiler.SUBJECT));
      assertThat(objection.status()).isEqualTo(RequestStatus.VERIFYING);
      assertThat(decide(engine, tenant, subject, "postal_offers"))
          .as("Art. 21(3): no longer processed for direct marketing, from the objection on")
          .isEqualTo(ReasonCode.OBJECTION_UPHELD);
      assertThat(announced(db, tenant)).containsExactly("processing.objected");
      requests.verifyIdentity(objection.id(), true);
      assertThatThrownBy(
              () ->
                  requests.deny(
                      objection.id(), DenialReason.COMPELLING_LEGITIMATE_GROUNDS, "we insist"))
          .isInstanceOf(ConsentException.class)
          .hasMessage("an objection to direct marketing cannot be refused (GDPR Art. 21(3))");
      assertThat(requests.get(objection.id()).orElseThrow().status()).isEqualTo(RequestStatus.OPEN);
    }
  }

  @DatabaseTest
  void objectionToEverything_refusedOnCompellingGrounds_stillStopsDirectMarketing(Database db) {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(GDPR))) {
      DecisionEngine engine = new DecisionEngine(GDPR, ledger.lookup());
      String tenant = "t-" + UUID.randomUUID();
      String subject = subject();
      DataSubjectRequests requests = requests(db, ledger);
      DataSubjectRequest objection =
          requests.submit(
              RequestIntake.of(tenant, subject, RequestType.OBJECTION, Regime.GDPR, true));
      assertThat(decide(engine, tenant, subject, "postal_offers"))
          .isEqualTo(ReasonCode.OBJECTION_UPHELD);
      assertThat(decide(engine, tenant, subject, "fraud_prevention"))
          .as("until decided, the objection holds direct marketing only")
          .isEqualTo(ReasonCode.LAWFUL_BASIS);
      DataSubjectRequest denied =
          requests.deny(objection.id(), DenialReason.COMPELLING_LEGITIMATE_GROUNDS, "fraud losses");
      assertThat(denied.denialReason()).isEqualTo(DenialReason.COMPELLING_LEGITIMATE_GROUNDS);
      assertThat(decide(engine, tenant, subject, "fraud_prevention"))
          .isEqualTo(ReasonCode.LAWFUL_BASIS);
      assertThat(decide(engine, tenant, subject, "postal_offers"))
          .isEqualTo(ReasonCode.OBJECTION_UPHELD);
      assertThat(decide(engine, tenant, subject, "email_marketing"))
          .as("consent-based direct marketing is held too")
          .isEqualTo(ReasonCode.OBJECTION_UPHELD);
    }
  }

  @DatabaseTest
  void upheldObjection_holdsItsPurposes(Database db) {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(GDPR))) {
      DecisionEngine engine = new DecisionEngine(GDPR, ledger.lookup());
      String tenant = "t-" + UUID.randomUUID();
      String subject = subject();
      DataSubjectRequests requests = requests(db, ledger);
      DataSubjectRequest objection =
          requests.submit(
              RequestIntake.of(tenant, subject, RequestType.OBJECTION, Regime.GDPR, true)
                  .purposes(List.of("fraud_prevention")));
      assertThat(decide(engine, tenant, subject, "fraud_prevention"))
          .isEqualTo(ReasonCode.LAWFUL_BASIS);
      requests.fulfil(objection.id(), "no compelling grounds");
      assertThat(decide(engine, tenant, subject, "fraud_prevention"))
          .isEqualTo(ReasonCode.OBJECTION_UPHELD);
      assertThat(requests.holds(tenant, subject)).hasSize(1);
    }
  }

  @DatabaseTest
  void withdrawingAnObjection_endsItsMarketingHold_andClosesTheRequest(Database db) {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(GDPR))) {
      DecisionEngine engine = new DecisionEngine(GDPR, ledger.lookup());
      String tenant = "t-" + UUID.randomUUID();
      String subject = subject();
      DataSubjectRequests requests = requests(db, ledger);
      DataSubjectRequest objection =
          requests.submit(
              RequestIntake.of(tenant, subject, RequestType.OBJECTION, Regime.GDPR, true)
                  .purposes(List.of("postal_offers")));
      assertThat(decide(engine, tenant, subject, "postal_offers"))
          .isEqualTo(ReasonCode.OBJECTION_UPHELD);
      DataSubjectRequest withdrawn = requests.withdraw(objection.id());
      assertThat(withdrawn.status()).isEqualTo(RequestStatus.WITHDRAWN);
      assertThat(withdrawn.status().isClosed()).isTrue();
      assertThat(decide(engine, tenant, subject, "postal_offers"))
          .isEqualTo(ReasonCode.LAWFUL_BASIS);
      assertThatThrownBy(() -> requests.withdraw(objection.id()))
          .hasMessage("request " + objection.id() + " is WITHDRAWN and closed");
      assertThat(requests.ofSubject(tenant, subject))
          .extracting(DataSubjectRequest::id)
          .containsExactly(objection.id());
      assertThat(requests.ofSubject(tenant, subject()).size()).isZero();
    }
  }

  @DatabaseTest
  void purposes_areChecked_andNamedWhenWrong(Database db) {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(GDPR))) {
      DataSubjectRequests requests = requests(db, ledger);
      String subject = subject();
      assertThatThrownBy(
              () ->
                  requests.submit(
                      RequestIntake.of("acme", subject, RequestType.RESTRICTION, Regime.GDPR, true)
                          .purposes(List.of("order_fulfilment", "no_such_purpose"))))
          .isInstanceOfSatisfying(
              ConsentException.class, e -> assertThat(e.field()).isEqualTo("purposes/1"))
          .hasMessage("'no_such_purpose' is not a purpose of the policy");
      assertThatThrownBy(
              () ->
                  requests.submit(
                      RequestIntake.of("acme", subject, RequestType.ACCESS, Regime.GDPR, true)
                          .purposes(List.of("order_fulfilment"))))
          .isInstanceOfSatisfying(
              ConsentException.class, e -> assertThat(e.field()).isEqualTo("purposes"))
          .hasMessage("only restriction, objection and human review requests name purposes");
      assertThat(requests.ofSubject("acme", subject)).as("nothing stored").isEmpty();
    }
  }

  @DatabaseTest
  void anotherProcessOnTheSameDatabase_seesTheHoldAtOnce(Database db) throws Exception {
    try (ConsentLedger mine = ConsentLedger.open(db, c -> c.policy(GDPR));
        ConsentLedger theirs = ConsentLedger.open(db, c -> c.policy(GDPR))) {
      DecisionEngine elsewhere = new DecisionEngine(GDPR, theirs.lookup());
      String tenant = "t-" + UUID.randomUUID();
      String subject = subject();
      assertThat(decide(elsewhere, tenant, subject, "order_fulfilment"))
          .isEqualTo(ReasonCode.LAWFUL_BASIS);
      DataSubjectRequests requests = requests(db, mine);
      DataSubjectRequest restriction =
          requests.submit(
              RequestIntake.of(tenant, subject, RequestType.RESTRICTION, Regime.GDPR, true));
      requests.fulfil(restriction.id(), null);
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      ReasonCode seen = decide(elsewhere, tenant, subject, "order_fulfilment");
      while (seen != ReasonCode.PROCESSING_RESTRICTED && System.nanoTime() < deadline) {
        Thread.sleep(20);
        seen = decide(elsewhere, tenant, subject, "order_fulfilment");
      }
      assertThat(seen).isEqualTo(ReasonCode.PROCESSING_RESTRICTED);
    }
  }

  @DatabaseTest
  void humanReview_ofAnAutomatedDecision_hasItsClock_andNamesOnlyAutomatedPurposes(Database db) {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(GDPR))) {
      DataSubjectRequests requests = requests(db, ledger);
      String subject = subject();
      assertThatThrownBy(
              () ->
                  requests.submit(
                      RequestIntake.of("acme", subject, RequestType.HUMAN_REVIEW, Regime.GDPR, true)
                          .purposes(List.of("pay_later_eligibility", "bookkeeping"))))
          .isInstanceOfSatisfying(
              ConsentException.class, e -> assertThat(e.field()).isEqualTo("purposes/1"))
          .hasMessage("'bookkeeping' makes no automated decisions to review (GDPR Art. 22)");
      DataSubjectRequest review =
          requests.submit(
              RequestIntake.of("acme", subject, RequestType.HUMAN_REVIEW, Regime.GDPR, true)
                  .purposes(List.of("pay_later_eligibility")));
      assertThat(review.dueAt())
          .isEqualTo(
              review.receivedAt().atOffset(java.time.ZoneOffset.UTC).plusMonths(1).toInstant());
      assertThat(review.purposes()).containsExactly("pay_later_eligibility");
    }
  }
}
