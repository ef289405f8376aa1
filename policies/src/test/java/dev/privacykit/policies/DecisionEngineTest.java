package dev.privacykit.policies;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecisionEngineTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private final InMemoryConsentLookup consents = new InMemoryConsentLookup();
  private final DecisionEngine engine = new DecisionEngine(PolicyPacks.gdpr(), consents);

  private Decision decide(String purpose, String... categories) {
    return engine.decide(
        new DecisionRequest(
            "acme", "subj_1", purpose, Set.of(categories), Set.of("orders"), false, NOW));
  }

  @Test
  void contract_allowsWithoutConsent() {
    Decision decision = decide("order_fulfilment", "user.contact.email");
    assertThat(decision.allowed()).isTrue();
    assertThat(decision.reason()).isEqualTo(ReasonCode.LAWFUL_BASIS);
    assertThat(decision.basis()).isEqualTo(LawfulBasis.GDPR_CONTRACT);
  }

  @Test
  void legalObligationAndLegitimateInterests_allow() {
    assertThat(decide("bookkeeping").basis()).isEqualTo(LawfulBasis.GDPR_LEGAL_OBLIGATION);
    assertThat(decide("bookkeeping").allowed()).isTrue();
    assertThat(decide("fraud_prevention").basis()).isEqualTo(LawfulBasis.GDPR_LEGITIMATE_INTERESTS);
  }

  @Test
  void categoryOutsideThePurpose_orUnknown_isDenied() {
    assertThat(decide("order_fulfilment", "user.health").reason())
        .isEqualTo(ReasonCode.CATEGORY_NOT_IN_PURPOSE);
    assertThat(decide("order_fulfilment", "user.shoe_size").reason())
        .isEqualTo(ReasonCode.UNKNOWN_CATEGORY);
    assertThat(decide("no_such_purpose").reason()).isEqualTo(ReasonCode.UNKNOWN_PURPOSE);
  }

  @Test
  void actorWithoutTheRole_isDenied() {
    Decision decision =
        engine.decide(
            new DecisionRequest(
                "acme", "subj_1", "order_fulfilment", Set.of(), Set.of("marketing"), false, NOW));
    assertThat(decision.reason()).isEqualTo(ReasonCode.ACTOR_NOT_PERMITTED);
    assertThat(decision.detail())
        .isEqualTo("purpose 'order_fulfilment' is limited to orders, support");
  }

  @Test
  void consent_missingRefusedWithdrawnExpired_eachDenied() {
    assertThat(decide("email_marketing").reason()).isEqualTo(ReasonCode.NO_CONSENT);
    for (var state :
        new ConsentState[] {ConsentState.REFUSED, ConsentState.WITHDRAWN, ConsentState.EXPIRED}) {
      consents.put(
          "acme",
          "subj_1",
          "email_marketing",
          new ConsentAnswer(state, 2, NOW.minusSeconds(60), null, true, null));
      assertThat(decide("email_marketing").allowed()).isFalse();
    }
    consents.put(
        "acme",
        "subj_1",
        "email_marketing",
        new ConsentAnswer(ConsentState.WITHDRAWN, 2, NOW, null, true, null));
    assertThat(decide("email_marketing").reason()).isEqualTo(ReasonCode.CONSENT_WITHDRAWN);
    consents.put(
        "acme",
        "subj_1",
        "email_marketing",
        new ConsentAnswer(ConsentState.REFUSED, 2, NOW, null, true, null));
    assertThat(decide("email_marketing").reason()).isEqualTo(ReasonCode.CONSENT_REFUSED);
  }

  @Test
  void consent_valid_allows_untilItsValidityRunsOut() {
    consents.put(
        "acme",
        "subj_1",
        "email_marketing",
        ConsentAnswer.given(2, NOW.minus(Duration.ofDays(30))));
    Decision decision = decide("email_marketing");
    assertThat(decision.allowed()).isTrue();
    assertThat(decision.reason()).isEqualTo(ReasonCode.CONSENT_VALID);
    // the pack gives e-mail marketing consent two years
    consents.put(
        "acme",
        "subj_1",
        "email_marketing",
        ConsentAnswer.given(2, NOW.minus(Duration.ofDays(731))));
    assertThat(decide("email_marketing").reason()).isEqualTo(ReasonCode.CONSENT_EXPIRED);
    consents.put(
        "acme",
        "subj_1",
        "email_marketing",
        new ConsentAnswer(
            ConsentState.GIVEN, 2, NOW.minusSeconds(10), NOW.minusSeconds(1), true, null));
    assertThat(decide("email_marketing").reason()).isEqualTo(ReasonCode.CONSENT_EXPIRED);
  }

  @Test
  void materialNoticeChange_needsRenewal() {
    consents.put("acme", "subj_1", "email_marketing", ConsentAnswer.given(1, NOW.minusSeconds(60)));
    Decision decision = decide("email_marketing");
    assertThat(decision.reason()).isEqualTo(ReasonCode.CONSENT_NEEDS_RENEWAL);
    assertThat(decision.detail())
        .isEqualTo(
            "consent for purpose 'email_marketing' was given under notice version 1; version 2 changed materially");
  }

  @Test
  void gpc_optsOut_unlessALaterExplicitOptInWinsWhereThePolicySaysSo() {
    DecisionRequest withGpc =
        new DecisionRequest(
            "acme", "subj_1", "targeted_advertising", Set.of(), Set.of(), true, NOW);
    assertThat(engine.decide(withGpc).reason()).isEqualTo(ReasonCode.NO_CONSENT);
    // explicit opt-in before the signal: the signal wins
    consents.put(
        "acme",
        "subj_1",
        "targeted_advertising",
        new ConsentAnswer(
            ConsentState.GIVEN, 2, NOW.minusSeconds(600), null, true, NOW.minusSeconds(60)));
    assertThat(engine.decide(withGpc).reason()).isEqualTo(ReasonCode.GPC_OPT_OUT);
    // explicit opt-in after the signal: the policy lets it win
    consents.put(
        "acme",
        "subj_1",
        "targeted_advertising",
        new ConsentAnswer(
            ConsentState.GIVEN, 2, NOW.minusSeconds(10), null, true, NOW.minusSeconds(60)));
    assertThat(engine.decide(withGpc).reason()).isEqualTo(ReasonCode.EXPLICIT_OPT_IN_OVER_GPC);
    // not explicit (say, imported): the signal wins
    consents.put(
        "acme",
        "subj_1",
        "targeted_advertising",
        new ConsentAnswer(
            ConsentState.GIVEN, 2, NOW.minusSeconds(10), null, false, NOW.minusSeconds(60)));
    assertThat(engine.decide(withGpc).reason()).isEqualTo(ReasonCode.GPC_OPT_OUT);
    // without the signal, the consent stands
    assertThat(engine.decide(withGpc.withGpc(false)).reason()).isEqualTo(ReasonCode.CONSENT_VALID);
  }

  @Test
  void gpc_onAPurposeWhosePolicyDoesNotLetOptInWin_denies() {
    DecisionEngine dpdp = new DecisionEngine(PolicyPacks.dpdp(), consents);
    consents.put("acme", "subj_1", "location_offers", ConsentAnswer.given(2, NOW.minusSeconds(10)));
    DecisionRequest request =
        new DecisionRequest("acme", "subj_1", "location_offers", Set.of(), Set.of(), true, NOW);
    assertThat(dpdp.decide(request).reason()).isEqualTo(ReasonCode.GPC_OPT_OUT);
    assertThat(dpdp.decide(request.withGpc(false)).reason()).isEqualTo(ReasonCode.CONSENT_VALID);
  }

  @Test
  void specialCategory_needsExplicitConsentUnderArt9() {
    assertThat(decide("allergy_safety").reason()).isEqualTo(ReasonCode.NO_CONSENT);
    consents.put("acme", "subj_1", "allergy_safety", ConsentAnswer.given(1, NOW.minusSeconds(60)));
    assertThat(decide("allergy_safety").allowed()).isTrue();
  }

  @Test
  void lookupFailure_failsClosed() {
    DecisionEngine failing =
        new DecisionEngine(
            PolicyPacks.gdpr(),
            (tenant, subject, purpose) -> {
              throw new ConsentLookup.ConsentLookupException("ledger unreachable", null);
            });
    Decision decision =
        failing.decide(
            new DecisionRequest(
                "acme", "subj_1", "email_marketing", Set.of(), Set.of(), false, NOW));
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason()).isEqualTo(ReasonCode.CONSENT_UNAVAILABLE);
    assertThat(decision.detail()).doesNotContain("subj_1");
  }

  @Test
  void restriction_deniesEveryBasis_untilItsLiftTime() {
    ProcessingHold restriction =
        new ProcessingHold(
            ProcessingHold.Kind.RESTRICTION, NOW.minusSeconds(60), NOW.plusSeconds(1));
    consents.put("acme", "subj_1", "order_fulfilment", ConsentAnswer.none().withHold(restriction));
    Decision decision = decide("order_fulfilment");
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason()).isEqualTo(ReasonCode.PROCESSING_RESTRICTED);
    assertThat(decision.basis()).isEqualTo(LawfulBasis.GDPR_CONTRACT);
    assertThat(decision.detail())
        .isEqualTo("processing for purpose 'order_fulfilment' is restricted (GDPR Art. 18)");
    // a valid consent does not outweigh it either
    consents.put(
        "acme",
        "subj_1",
        "email_marketing",
        ConsentAnswer.given(2, NOW.minusSeconds(60)).withHold(restriction));
    assertThat(decide("email_marketing").reason()).isEqualTo(ReasonCode.PROCESSING_RESTRICTED);
    // once the lift time is reached, the basis decides again
    Decision later =
        engine.decide(
            new DecisionRequest(
                "acme",
                "subj_1",
                "order_fulfilment",
                Set.of(),
                Set.of("orders"),
                false,
                NOW.plusSeconds(1)));
    assertThat(later.reason()).isEqualTo(ReasonCode.LAWFUL_BASIS);
  }

  @Test
  void upheldObjection_deniesWithItsOwnReason() {
    consents.put(
        "acme",
        "subj_1",
        "fraud_prevention",
        ConsentAnswer.none()
            .withHold(
                new ProcessingHold(ProcessingHold.Kind.OBJECTION, NOW.minusSeconds(5), null)));
    Decision decision = decide("fraud_prevention");
    assertThat(decision.reason()).isEqualTo(ReasonCode.OBJECTION_UPHELD);
    assertThat(decision.detail())
        .isEqualTo("the subject's objection to purpose 'fraud_prevention' stands (GDPR Art. 21)");
    // a hold that starts later does not hold yet
    consents.put(
        "acme",
        "subj_1",
        "bookkeeping",
        ConsentAnswer.none()
            .withHold(new ProcessingHold(ProcessingHold.Kind.OBJECTION, NOW.plusSeconds(5), null)));
    assertThat(decide("bookkeeping").allowed()).isTrue();
  }

  @Test
  void lookupFailure_failsClosedForLawfulBasesToo_sinceItCouldHaveReportedAHold() {
    DecisionEngine failing =
        new DecisionEngine(
            PolicyPacks.gdpr(),
            (tenant, subject, purpose) -> {
              throw new ConsentLookup.ConsentLookupException("ledger unreachable", null);
            });
    Decision decision =
        failing.decide(
            new DecisionRequest("acme", "subj_1", "bookkeeping", Set.of(), Set.of(), false, NOW));
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason()).isEqualTo(ReasonCode.CONSENT_UNAVAILABLE);
  }
}
