package dev.privacykit.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Children and persons with a lawful guardian: the policy's rules and the engine's decisions. */
class ChildrenPolicyTest {
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
  private static final Guardianship CHILD = new Guardianship(Guardianship.Kind.CHILD, false);
  private static final Guardianship CHILD_BY_PARENT =
      new Guardianship(Guardianship.Kind.CHILD, true);
  private static final Guardianship WARD = new Guardianship(Guardianship.Kind.DISABILITY, false);

  private static final String DPDP_HEAD =
      """
      policy: 1
      name: t
      regime: DPDP
      categories:
        - id: p
      notices:
        - id: n
          versions:
            - version: 1
              published: 2026-01-01
              items:
                - {data: p, purpose: Run the service}
              services: [The service]
              links:
                withdraw: https://app.example/consent
                rights: https://app.example/rights
                complaint: https://app.example/board
              texts:
                en: "We use your data to run the service."
      """;

  private static PolicySet dpdp(String rest) {
    return PolicyLoader.parse("p.yaml", DPDP_HEAD + rest);
  }

  private static Decision decide(PolicySet set, String purpose, ConsentAnswer answer) {
    return new DecisionEngine(set, (t, s, p) -> answer)
        .decide(new DecisionRequest("acme", "s", purpose, Set.of(), Set.of(), false, NOW));
  }

  private static ConsentAnswer given(Guardianship ward) {
    return ConsentAnswer.given(2, NOW.minusSeconds(60)).withGuardianship(ward);
  }

  @Test
  void childrenAreNotAnArt9Category_theLoaderSaysWhatToDoInstead() {
    assertThatThrownBy(
            () ->
                PolicyLoader.parse(
                    "p.yaml",
                    """
                    policy: 1
                    name: t
                    regime: GDPR
                    categories:
                      - id: p
                      - id: p.child
                        special: children
                    """))
        .isInstanceOf(PolicyLoadException.class)
        .hasMessageContaining("p.yaml:7")
        .hasMessageContaining("not a special category (GDPR Art. 9(1)")
        .hasMessageContaining("mark the data principal as a child");
  }

  @Test
  void packs_declareTheirChildAge_andFlagTrackingAndAdvertising() {
    assertThat(PolicyPacks.dpdp().children().age()).isEqualTo(18);
    assertThat(PolicyPacks.gdpr().children().age()).isEqualTo(16);
    assertThat(PolicyPacks.dpdp().purpose("location_offers").orElseThrow().children())
        .isEqualTo(new ChildSafety(true, true, false, null));
    assertThat(PolicyPacks.dpdp().purpose("age_assurance").orElseThrow().children().exemption())
        .isEqualTo(FourthSchedule.B6_AGE_ASSURANCE);
    assertThat(
            PolicyPacks.gdpr()
                .purpose("targeted_advertising")
                .orElseThrow()
                .children()
                .targetedAdvertising())
        .isTrue();
  }

  @Test
  void childAge_isEighteenUnderDpdp_and13To16UnderGdpr() {
    assertThatThrownBy(() -> dpdp("children:\n  age: 16\n"))
        .hasMessageContaining("p.yaml:21")
        .hasMessageContaining("must be 18 under DPDP");
    String gdpr = "policy: 1\nname: t\nregime: GDPR\nchildren:\n  age: %s\n";
    assertThat(PolicyLoader.parse("g.yaml", gdpr.formatted(13)).children().age()).isEqualTo(13);
    assertThatThrownBy(() -> PolicyLoader.parse("g.yaml", gdpr.formatted(12)))
        .hasMessageContaining("13 to 16 under GDPR");
    assertThatThrownBy(() -> PolicyLoader.parse("g.yaml", gdpr.formatted(17)))
        .hasMessageContaining("13 to 16 under GDPR");
    assertThatThrownBy(() -> PolicyLoader.parse("g.yaml", gdpr.formatted("sixteen")))
        .hasMessageContaining("children.age must be a number");
  }

  @Test
  void exemptions_areTheFourthScheduleAndDpdpOnly_andPartANeedsTheFiduciaryClass() {
    assertThat(FourthSchedule.values()).hasSize(11);
    assertThat(FourthSchedule.ofCode("b4_realtime_location").orElseThrow().citation())
        .isEqualTo("DPDP Rules 2025, Fourth Schedule, Part B item 4");
    String purpose =
        """
        purposes:
          - id: x
            title: X
            basis: dpdp:consent
            notice: n
            tracking: true
            child_exemption: %s
            categories: [p]
        """;
    assertThatThrownBy(() -> dpdp(purpose.formatted("b9_anything")))
        .hasMessageContaining("unknown child_exemption 'b9_anything'")
        .hasMessageContaining("b3_email_account");
    assertThatThrownBy(() -> dpdp(purpose.formatted("a3_educational")))
        .hasMessageContaining("children.fiduciary_class is not set");
    PolicySet school =
        dpdp(
            "children:\n  fiduciary_class: a3_educational\n" + purpose.formatted("a3_educational"));
    assertThat(school.children().fiduciaryClass()).isEqualTo(FourthSchedule.A3_EDUCATIONAL);
    assertThatThrownBy(() -> dpdp("children:\n  fiduciary_class: b3_email_account\n"))
        .hasMessageContaining("must be a class of Part A");
    assertThatThrownBy(
            () ->
                PolicyLoader.parse(
                    "g.yaml",
                    """
                    policy: 1
                    name: t
                    regime: GDPR
                    categories:
                      - id: p
                    purposes:
                      - id: x
                        title: X
                        basis: gdpr:legitimate_interests
                        child_exemption: b4_realtime_location
                        categories: [p]
                    """))
        .hasMessageContaining("child_exemption is a DPDP rule");
    assertThatThrownBy(
            () ->
                dpdp(
                    """
                    purposes:
                      - id: x
                        title: X
                        basis: dpdp:consent
                        notice: n
                        detrimental_to_children: true
                        child_exemption: b5_harm_filtering
                        categories: [p]
                    """))
        .hasMessageContaining("no exemption lifts s.9(2)");
    assertThatThrownBy(() -> dpdp(purpose.formatted("b3_email_account").replace("true", "yes")))
        .hasMessageContaining("tracking must be true or false");
  }

  @Test
  void child_consentCountsOnlyFromAVerifiedGuardian() {
    PolicySet set = PolicyPacks.dpdp();
    assertThat(decide(set, "account", given(null)).allowed()).isTrue();
    Decision self = decide(set, "account", given(CHILD));
    assertThat(self.allowed()).isFalse();
    assertThat(self.reason()).isEqualTo(ReasonCode.GUARDIAN_CONSENT_REQUIRED);
    assertThat(self.detail()).contains("a child").contains("DPDP s.9(1)");
    assertThat(decide(set, "account", given(CHILD_BY_PARENT)).allowed()).isTrue();
    assertThat(decide(set, "account", given(WARD)).reason())
        .isEqualTo(ReasonCode.GUARDIAN_CONSENT_REQUIRED);
    assertThat(
            decide(set, "account", given(new Guardianship(Guardianship.Kind.DISABILITY, true)))
                .allowed())
        .isTrue();
    // no consent at all stays "no consent": the guardian rule adds to the consent rules
    assertThat(decide(set, "account", ConsentAnswer.none().withGuardianship(CHILD)).reason())
        .isEqualTo(ReasonCode.NO_CONSENT);
    // a lawful basis other than consent is not a consent the guardian must give
    assertThat(decide(set, "kyc_records", ConsentAnswer.none().withGuardianship(CHILD)).allowed())
        .isTrue();
  }

  @Test
  void child_isNeverTrackedOrTargeted_evenWithAParentsConsent() {
    PolicySet set = PolicyPacks.dpdp();
    for (String purpose : new String[] {"usage_analytics", "location_offers"}) {
      Decision decision = decide(set, purpose, given(CHILD_BY_PARENT));
      assertThat(decision.reason()).isEqualTo(ReasonCode.CHILD_TRACKING_OR_ADVERTISING);
      assertThat(decision.detail()).contains("DPDP s.9(3)");
      assertThat(decide(set, purpose, given(null)).allowed()).isTrue();
      // a person with a disability is not a child: s.9(3) is about children
      assertThat(
              decide(set, purpose, given(new Guardianship(Guardianship.Kind.DISABILITY, true)))
                  .allowed())
          .isTrue();
    }
    Decision gdpr = decide(PolicyPacks.gdpr(), "targeted_advertising", given(CHILD_BY_PARENT));
    assertThat(gdpr.reason()).isEqualTo(ReasonCode.CHILD_TRACKING_OR_ADVERTISING);
    assertThat(gdpr.detail()).contains("Recital 38");
  }

  @Test
  void exemptPurpose_liftsGuardianConsentAndTracking_butNeverHarm() {
    PolicySet set =
        dpdp(
            """
            purposes:
              - id: school_bus
                title: Where the school bus is
                basis: dpdp:consent
                notice: n
                tracking: true
                child_exemption: b4_realtime_location
                categories: [p]
              - id: engagement_loops
                title: Streaks that keep a child scrolling
                basis: dpdp:legitimate_use
                detrimental_to_children: true
                categories: [p]
            """
                .replace("dpdp:legitimate_use", "dpdp:legal_obligation"));
    assertThat(decide(set, "school_bus", given(CHILD)).allowed()).isTrue();
    Decision harm =
        decide(set, "engagement_loops", ConsentAnswer.none().withGuardianship(CHILD_BY_PARENT));
    assertThat(harm.reason()).isEqualTo(ReasonCode.DETRIMENTAL_TO_CHILD);
    assertThat(harm.detail()).contains("s.9(2)");
    assertThat(decide(set, "engagement_loops", ConsentAnswer.none()).allowed()).isTrue();
  }

  @Test
  void aHoldStillWins_andALookupFailureStillDenies_forAChild() {
    PolicySet set = PolicyPacks.dpdp();
    ConsentAnswer held =
        given(CHILD_BY_PARENT)
            .withHold(
                new ProcessingHold(ProcessingHold.Kind.RESTRICTION, NOW.minusSeconds(5), null));
    assertThat(decide(set, "account", held).reason()).isEqualTo(ReasonCode.PROCESSING_RESTRICTED);
    Decision failed =
        new DecisionEngine(
                set,
                (t, s, p) -> {
                  throw new ConsentLookup.ConsentLookupException("down", null);
                })
            .decide(DecisionRequest.of("acme", "s", "kyc_records", Set.of()).at(NOW));
    assertThat(failed.reason()).isEqualTo(ReasonCode.CONSENT_UNAVAILABLE);
  }
}
