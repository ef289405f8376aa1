package dev.privacykit.policies;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The optional fields a record of processing activities needs: controller, per-purpose subjects,
 * per-recipient safeguards, security measures; each checked with a positioned problem.
 */
class PolicyRecordFieldsTest {
  private static final String HEAD =
      """
      policy: 1
      name: test
      regime: %s
      categories:
        - id: user
      """;

  private static List<String> problems(String regime, String text) {
    try {
      PolicyLoader.parse("p.yaml", HEAD.formatted(regime) + text);
    } catch (PolicyLoadException e) {
      return e.problems().stream()
          .map(p -> p.line() + ":" + p.column() + ": " + p.message())
          .toList();
    }
    return List.of();
  }

  @Test
  void allFields_areRead() {
    PolicySet set =
        PolicyLoader.parse(
            "p.yaml",
            HEAD.formatted("GDPR")
                + """
                controller:
                  name: Shop GmbH
                  contact: privacy@shop.example
                  dpo: dpo@shop.example
                  representative: Rep Ltd., Dublin
                recipients:
                  - {id: mail, name: Mail Inc., role: processor, country: US, safeguard: sccs}
                  - {id: carrier, name: Carrier, role: processor, country: DE}
                  - {id: tax, name: Tax office, role: public_authority}
                purposes:
                  - id: orders
                    title: Orders
                    basis: gdpr:contract
                    categories: [user]
                    subjects: [customers, employees]
                    recipients: [mail, carrier]
                security_measures:
                  - Single sign-on with hardware keys
                """);
    assertThat(set.controller())
        .contains(
            new Controller(
                "Shop GmbH", "privacy@shop.example", "dpo@shop.example", "Rep Ltd., Dublin"));
    assertThat(set.purposes().get("orders").subjects()).containsExactly("customers", "employees");
    assertThat(set.recipients().get("mail").safeguard()).isEqualTo(Safeguard.SCCS);
    assertThat(set.recipients().get("carrier").safeguard()).isNull();
    assertThat(set.isThirdCountryTransfer(set.recipients().get("mail"))).isTrue();
    assertThat(set.isThirdCountryTransfer(set.recipients().get("carrier"))).isFalse();
    assertThat(set.isThirdCountryTransfer(set.recipients().get("tax"))).isFalse();
    assertThat(set.securityMeasures()).containsExactly("Single sign-on with hardware keys");
  }

  @Test
  void fieldsAreOptional_soOlderFilesStillLoad() {
    PolicySet set =
        PolicyLoader.parse(
            "p.yaml",
            HEAD.formatted("GDPR")
                + """
                purposes:
                  - {id: orders, title: Orders, basis: gdpr:contract, categories: [user]}
                """);
    assertThat(set.controller()).isEmpty();
    assertThat(set.securityMeasures()).isEmpty();
    assertThat(set.purposes().get("orders").subjects()).isEmpty();
  }

  @Test
  void gdprRecipientOutsideTheEea_withoutSafeguard_isAProblem() {
    assertThat(
            problems(
                "GDPR",
                """
                recipients:
                  - {id: mail, name: Mail Inc., role: processor, country: US}
                  - {id: norway, name: Fjord AS, role: processor, country: NO}
                """))
        .containsExactly(
            "7:59: recipient 'mail' is in US, outside the EEA: name the transfer's safeguard"
                + " (safeguard: adequacy_decision, sccs, bcrs, ...; GDPR Chapter V)");
  }

  @Test
  void dpdpRecipientOutsideIndia_withoutSafeguard_loads() {
    PolicySet set =
        PolicyLoader.parse(
            "p.yaml",
            HEAD.formatted("DPDP")
                + """
                recipients:
                  - {id: crash, name: Crash Pte., role: processor, country: SG}
                """);
    assertThat(set.isThirdCountryTransfer(set.recipients().get("crash"))).isTrue();
    assertThat(set.recipients().get("crash").safeguard()).isNull();
  }

  @Test
  void badValues_areProblemsNamingTheField() {
    assertThat(
            problems(
                "GDPR",
                """
                controller:
                  name: Shop
                  dpo: ""
                  website: x
                recipients:
                  - {id: mail, name: Mail, role: processor, country: US, safeguard: pinky_promise}
                purposes:
                  - {id: orders, title: Orders, basis: gdpr:contract, categories: [user], subjects: [Customers, a, a]}
                security_measures:
                  - "two\\nlines"
                  - [nested]
                """))
        .containsExactly(
            "7:3: controller is missing 'contact'",
            "8:8: controller dpo must be a non-empty text, found nothing",
            "9:3: unknown key 'website' in controller (allowed: name, contact, dpo, representative)",
            "11:69: unknown safeguard 'pinky_promise' (known: adequacy_decision,"
                + " legally_binding_instrument, bcrs, sccs, code_of_conduct, certification,"
                + " ad_hoc_clauses, derogation)",
            "13:86: subject category 'Customers' must be lower-case letters, digits, '_' or '-',"
                + " such as customers",
            "13:100: purpose 'orders' names subject category 'a' twice",
            "15:5: each security measure must be one line without control characters",
            "16:5: each security measure must be a non-empty text, found a list");
  }

  @Test
  void shippedPacks_carryTheRecordFields() {
    PolicySet gdpr = PolicyPacks.gdpr();
    assertThat(gdpr.controller().orElseThrow().name()).isEqualTo("Example Shop GmbH");
    assertThat(gdpr.recipients().get("email_service").safeguard()).isEqualTo(Safeguard.SCCS);
    assertThat(gdpr.purposes().values()).allSatisfy(p -> assertThat(p.subjects()).isNotEmpty());
    PolicySet dpdp = PolicyPacks.dpdp();
    assertThat(dpdp.controller().orElseThrow().dpo()).startsWith("Grievance Officer");
    assertThat(dpdp.isThirdCountryTransfer(dpdp.recipients().get("crash_reports"))).isTrue();
    assertThat(dpdp.purposes().values()).allSatisfy(p -> assertThat(p.subjects()).isNotEmpty());
  }
}
