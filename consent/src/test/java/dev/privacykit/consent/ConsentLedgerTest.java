package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditQuery;
import dev.privacykit.audit.AuditRecord;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.policies.ConsentAnswer;
import dev.privacykit.policies.ConsentState;
import dev.privacykit.policies.DecisionEngine;
import dev.privacykit.policies.DecisionRequest;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.policies.ReasonCode;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

class ConsentLedgerTest {
  private static final PolicySet GDPR = PolicyPacks.gdpr();

  private static String subject() {
    return "subj_" + UUID.randomUUID();
  }

  private static ConsentLedger ledger(Database db) {
    return ConsentLedger.open(db, c -> c.policy(GDPR));
  }

  private static DecisionRequest request(String subject, String purpose, boolean gpc) {
    return new DecisionRequest("acme", subject, purpose, Set.of(), Set.of(), gpc, Instant.now());
  }

  @DatabaseTest
  void give_withdraw_regrant_eachRecordedAndAudited(Database db) throws Exception {
    var root = RootKeys.ephemeral();
    try (AuditLog audit =
            AuditLog.open(
                db,
                c ->
                    c.origin("t/audit")
                        .signer(CheckpointSigner.generate("t/audit"))
                        .subjectKeys(SubjectKeys.open(db, root)));
        ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(GDPR).audit(audit))) {
      String subject = subject();
      DecisionEngine engine = new DecisionEngine(GDPR, ledger.lookup());
      Evidence evidence =
          Evidence.of(Instant.now(), "web", "203.0.113.77", "Mozilla/5.0 (X11)", "form-7");
      ConsentChange change =
          ConsentChange.of("acme", subject, "email_marketing", 2, "en")
              .withEvidence(ConsentMethod.FORM, evidence);

      ConsentEvent given = ledger.give(change);
      assertThat(given.state()).isEqualTo(ConsentState.GIVEN);
      assertThat(given.evidence().ipTruncated()).isEqualTo("203.0.113.0/24");
      assertThat(given.validUntil())
          .isEqualTo(
              evidence.collectedAt().atOffset(java.time.ZoneOffset.UTC).plusYears(2).toInstant());
      assertThat(engine.decide(request(subject, "email_marketing", false)).reason())
          .isEqualTo(ReasonCode.CONSENT_VALID);

      ledger.withdraw(change);
      assertThat(ledger.current("acme", subject, "email_marketing").state())
          .isEqualTo(ConsentState.WITHDRAWN);
      assertThat(engine.decide(request(subject, "email_marketing", false)).reason())
          .isEqualTo(ReasonCode.CONSENT_WITHDRAWN);

      ledger.give(change.withEvidence(ConsentMethod.FORM, Evidence.at(Instant.now())));
      assertThat(engine.decide(request(subject, "email_marketing", false)).allowed()).isTrue();
      assertThat(ledger.history("acme", subject, "email_marketing"))
          .extracting(ConsentEvent::state)
          .containsExactly(ConsentState.GIVEN, ConsentState.WITHDRAWN, ConsentState.GIVEN);

      List<AuditRecord> entries = audit.query(AuditQuery.tenant("acme").subject(subject));
      assertThat(entries)
          .extracting(r -> r.entry().action())
          .containsExactly(Action.CONSENT_GIVEN, Action.CONSENT_WITHDRAWN, Action.CONSENT_GIVEN);
      assertThat(entries.get(0).entry().legalBasis()).isEqualTo("gdpr:consent");
      assertThat(entries.get(0).entry().requestId()).isEqualTo(given.eventId());
    }
  }

  @DatabaseTest
  void policyRules_refuseWhatThePolicyDoesNotAllow(Database db) {
    try (ConsentLedger ledger = ledger(db)) {
      String s = subject();
      assertThatThrownBy(() -> ledger.give(ConsentChange.of("acme", s, "no_such", 1, "en")))
          .isInstanceOf(ConsentException.class)
          .hasMessage("purpose 'no_such' is not in the policy")
          .extracting(e -> ((ConsentException) e).code())
          .isEqualTo("unknown-purpose");
      assertThatThrownBy(
              () -> ledger.give(ConsentChange.of("acme", s, "order_fulfilment", 1, "en")))
          .hasMessage("purpose 'order_fulfilment' relies on gdpr:contract, not on consent");
      assertThatThrownBy(() -> ledger.give(ConsentChange.of("acme", s, "email_marketing", 9, "en")))
          .hasMessage("notice 'marketing-notice' has no version 9");
      assertThatThrownBy(() -> ledger.give(ConsentChange.of("acme", s, "email_marketing", 2, "fr")))
          .hasMessage("notice 'marketing-notice' version 2 is not published in 'fr'");
      assertThatThrownBy(
              () -> ledger.renew(ConsentChange.of("acme", s, "email_marketing", 2, "en")))
          .hasMessage("there is no consent for purpose 'email_marketing' to renew");
      assertThat(ledger.history("acme", s, "email_marketing")).isEmpty();
    }
  }

  @DatabaseTest
  void consent_expiresAfterThePurposesValidity(Database db) {
    try (ConsentLedger ledger = ledger(db)) {
      String s = subject();
      Instant longAgo = Instant.now().minus(Duration.ofDays(800));
      ledger.give(
          ConsentChange.of("acme", s, "email_marketing", 2, "en")
              .withEvidence(ConsentMethod.FORM, Evidence.at(longAgo)));
      ConsentAnswer answer = ledger.current("acme", s, "email_marketing");
      assertThat(answer.state()).isEqualTo(ConsentState.EXPIRED);
      assertThat(
              new DecisionEngine(GDPR, ledger.lookup())
                  .decide(request(s, "email_marketing", false))
                  .reason())
          .isEqualTo(ReasonCode.CONSENT_EXPIRED);
    }
  }

  @DatabaseTest
  void materialNoticeChange_needsRenewal_andRenewalUnderTheNewVersionClearsIt(Database db) {
    try (ConsentLedger ledger = ledger(db)) {
      String s = subject();
      DecisionEngine engine = new DecisionEngine(GDPR, ledger.lookup());
      ledger.give(ConsentChange.of("acme", s, "email_marketing", 1, "en"));
      assertThat(engine.decide(request(s, "email_marketing", false)).reason())
          .isEqualTo(ReasonCode.CONSENT_NEEDS_RENEWAL);
      ledger.renew(ConsentChange.of("acme", s, "email_marketing", 2, "en"));
      assertThat(engine.decide(request(s, "email_marketing", false)).reason())
          .isEqualTo(ReasonCode.CONSENT_VALID);
    }
  }

  @DatabaseTest
  void gpcSignal_optsOut_andALaterExplicitOptInWinsWhereThePolicySaysSo(Database db) {
    try (ConsentLedger ledger = ledger(db)) {
      String s = subject();
      DecisionEngine engine = new DecisionEngine(GDPR, ledger.lookup());
      ledger.give(
          ConsentChange.of("acme", s, "targeted_advertising", 2, "en")
              .withEvidence(ConsentMethod.FORM, Evidence.at(Instant.now().minusSeconds(60))));
      List<ConsentEvent> events =
          ledger.recordGpc("acme", s, Evidence.at(Instant.now().minusSeconds(30)));
      assertThat(events).extracting(ConsentEvent::purpose).containsExactly("targeted_advertising");
      assertThat(events.get(0).state()).isEqualTo(ConsentState.WITHDRAWN);
      assertThat(events.get(0).method()).isEqualTo(ConsentMethod.GPC);
      assertThat(engine.decide(request(s, "targeted_advertising", true)).allowed()).isFalse();
      ledger.give(ConsentChange.of("acme", s, "targeted_advertising", 2, "en"));
      assertThat(engine.decide(request(s, "targeted_advertising", true)).reason())
          .isEqualTo(ReasonCode.EXPLICIT_OPT_IN_OVER_GPC);
    }
  }

  @DatabaseTest
  void check_answersEachPurposeWithItsReason(Database db) {
    try (ConsentLedger ledger = ledger(db)) {
      String s = subject();
      ledger.give(ConsentChange.of("acme", s, "email_marketing", 1, "en"));
      ledger.refuse(ConsentChange.of("acme", s, "allergy_safety", 1, "en"));
      var engine = new DecisionEngine(PolicyPacks.gdpr(), ledger.lookup());
      var decisions =
          engine.decideEach(
              DecisionRequest.of("acme", s, "-", Set.of("orders")),
              List.of(
                  "email_marketing", "allergy_safety", "targeted_advertising", "order_fulfilment"));
      assertThat(decisions.get("email_marketing").reason())
          .isEqualTo(ReasonCode.CONSENT_NEEDS_RENEWAL);
      assertThat(decisions.get("allergy_safety").reason()).isEqualTo(ReasonCode.CONSENT_REFUSED);
      assertThat(decisions.get("targeted_advertising").reason()).isEqualTo(ReasonCode.NO_CONSENT);
      assertThat(decisions.get("order_fulfilment").reason()).isEqualTo(ReasonCode.LAWFUL_BASIS);
    }
  }

  @DatabaseTest
  void idempotencyKey_recordsOnce(Database db) {
    try (ConsentLedger ledger = ledger(db)) {
      String s = subject();
      ConsentChange change =
          ConsentChange.of("acme", s, "email_marketing", 2, "en").withIdempotencyKey("import-42");
      ConsentEvent first = ledger.give(change);
      ConsentEvent again = ledger.give(change);
      assertThat(again.eventId()).isEqualTo(first.eventId());
      assertThat(ledger.history("acme", s, "email_marketing")).hasSize(1);
    }
  }

  @DatabaseTest
  void change_inOneProcess_isSeenByAnothersCacheWithinASecond(TestDatabase test) throws Exception {
    try (Database otherPool = test.openAnother();
        ConsentLedger first = ledger(test.database());
        ConsentLedger second =
            ConsentLedger.open(
                test.dialect() == dev.privacykit.storage.Dialect.H2 ? test.database() : otherPool,
                c -> c.policy(GDPR).cacheTtl(Duration.ofMinutes(10)))) {
      String s = subject();
      Thread.sleep(300); // the listener connects
      assertThat(second.lookup().lookup("acme", s, "email_marketing").state())
          .isEqualTo(ConsentState.NONE);
      first.give(ConsentChange.of("acme", s, "email_marketing", 2, "en"));
      long deadline = System.nanoTime() + 1_000_000_000L;
      ConsentState seen = ConsentState.NONE;
      while (System.nanoTime() < deadline && seen != ConsentState.GIVEN) {
        seen = second.lookup().lookup("acme", s, "email_marketing").state();
        Thread.sleep(20);
      }
      assertThat(seen).isEqualTo(ConsentState.GIVEN);
    }
  }
}
