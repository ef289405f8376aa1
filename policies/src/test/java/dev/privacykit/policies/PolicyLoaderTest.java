package dev.privacykit.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Period;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyLoaderTest {
  private static final String HEAD =
      """
      policy: 1
      name: test
      regime: GDPR
      categories:
        - id: user
        - id: user.contact
        - id: user.contact.email
        - id: user.health
          special: health
      notices:
        - id: n
          versions:
            - version: 1
              published: 2026-01-01
              languages: [en]
      """;

  /** The problems of {@code text}, each as {@code line:column: message}. */
  private static List<String> problems(String text) {
    try {
      PolicyLoader.parse("p.yaml", text);
    } catch (PolicyLoadException e) {
      assertThat(e.problems()).allSatisfy(p -> assertThat(p.file()).isEqualTo("p.yaml"));
      return e.problems().stream()
          .map(p -> p.line() + ":" + p.column() + ": " + p.message())
          .toList();
    }
    return List.of();
  }

  @Test
  void validFile_loads() {
    PolicySet set =
        PolicyLoader.parse(
            "p.yaml",
            HEAD
                + """
                purposes:
                  - id: mail
                    title: Mail
                    basis: gdpr:consent
                    notice: n
                    consent_validity: P1Y
                    categories: [user.contact]
                retention:
                  - category: user.contact
                    period: P2Y
                    then: anonymise
                """);
    assertThat(set.regime()).isEqualTo(Regime.GDPR);
    Purpose mail = set.purpose("mail").orElseThrow();
    assertThat(mail.basis()).isEqualTo(LawfulBasis.GDPR_CONSENT);
    assertThat(mail.consentValidity()).isEqualTo(Period.ofYears(1));
    assertThat(set.purposeCovers(mail, "user.contact.email")).isTrue();
    assertThat(set.purposeCovers(mail, "user.health")).isFalse();
    assertThat(set.category("user.health").orElseThrow().isSpecial()).isTrue();
    assertThat(set.retentionFor("mail", "user.contact.email").orElseThrow().action())
        .isEqualTo(RetentionRule.Action.ANONYMISE);
  }

  @Test
  void unknownCategory_isNamedWithASuggestion() {
    assertThat(
            problems(
                HEAD
                    + """
                    purposes:
                      - id: mail
                        title: Mail
                        basis: gdpr:contract
                        categories: [user.contct.email]
                    """))
        .containsExactly(
            "20:18: unknown category 'user.contct.email' (did you mean 'user.contact.email'?)");
  }

  @Test
  void consentBasisWithoutNotice_isRefused() {
    assertThat(
            problems(
                HEAD
                    + """
                    purposes:
                      - id: mail
                        title: Mail
                        basis: gdpr:consent
                        categories: [user.contact]
                    """))
        .containsExactly(
            "19:12: purpose 'mail' relies on consent but names no notice to ask it under");
  }

  @Test
  void retentionPeriodNotADuration_isRefused() {
    assertThat(
            problems(
                HEAD
                    + """
                    retention:
                      - category: user
                        period: forever
                        then: delete
                    """))
        .containsExactly(
            "18:13: retention period is not a duration: write ISO 8601 such as P30D, P6M or P2Y");
  }

  @Test
  void duplicateId_pointsAtTheFirst() {
    assertThat(
            problems(
                HEAD
                    + """
                    purposes:
                      - id: mail
                        title: Mail
                        basis: gdpr:contract
                        categories: [user.contact]
                      - id: mail
                        title: Again
                        basis: gdpr:contract
                        categories: [user.contact]
                    """))
        .containsExactly("21:9: duplicate purpose id 'mail' (first defined at line 17)");
  }

  @Test
  void specialCategoryWithoutArt9Condition_isRefused() {
    assertThat(
            problems(
                HEAD
                    + """
                    purposes:
                      - id: care
                        title: Care
                        basis: gdpr:contract
                        categories: [user.health]
                    """))
        .containsExactly(
            "20:17: purpose 'care' uses special categories of data but has no art9_condition (GDPR Art. 9(2))");
  }

  @Test
  void automatedDecision_onlyOnTheBasesArt22Allows_andSpecialCategoriesOnlyUnder9_2_aOrG() {
    assertThat(
            problems(
                HEAD
                    + """
                    purposes:
                      - id: scoring
                        title: Scoring
                        basis: gdpr:legitimate_interests
                        automated_decision: true
                        categories: [user.contact]
                      - id: triage
                        title: Triage
                        basis: gdpr:contract
                        art9_condition: health_or_social_care
                        automated_decision: true
                        categories: [user.health]
                      - id: checkout
                        title: Checkout
                        basis: gdpr:contract
                        automated_decision: true
                        direct_marketing: false
                        categories: [user.contact]
                    """))
        .containsExactly(
            "20:25: purpose 'scoring' makes automated decisions (GDPR Art. 22) on"
                + " gdpr:legitimate_interests; Art. 22(2) allows only gdpr:contract,"
                + " gdpr:legal_obligation, gdpr:public_task or gdpr:consent",
            "26:25: purpose 'triage' makes automated decisions on special categories; Art. 22(4)"
                + " needs art9_condition explicit_consent or substantial_public_interest");
  }

  @Test
  void parentOfASpecialCategory_isSpecialToo() {
    assertThat(
            problems(
                HEAD
                    + """
                    purposes:
                      - id: all
                        title: Everything
                        basis: gdpr:contract
                        categories: [user]
                    """))
        .containsExactly(
            "20:17: purpose 'all' uses special categories of data but has no art9_condition (GDPR Art. 9(2))");
  }

  @Test
  void lawfulBasis_unknownOrOfTheOtherRegime() {
    assertThat(
            problems(
                HEAD
                    + """
                    purposes:
                      - id: a
                        title: A
                        basis: gdpr:consnt
                        categories: [user.contact]
                      - id: b
                        title: B
                        basis: dpdp:employment
                        categories: [user.contact]
                    """))
        .containsExactly(
            "19:12: unknown lawful basis 'gdpr:consnt' (known: gdpr:consent, gdpr:contract,"
                + " gdpr:legal_obligation, gdpr:vital_interests, gdpr:public_task,"
                + " gdpr:legitimate_interests)",
            "23:12: lawful basis 'dpdp:employment' belongs to DPDP, not to this GDPR policy");
  }

  @Test
  void unknownKeysWrongTypesAndMissingKeys_areAllReported() {
    assertThat(
            problems(
                """
                policy: 1
                name: test
                regime: GDPR
                colour: blue
                categories:
                  - id: user
                    title: [not, text]
                  - title: no id
                purposes: just text
                """))
        .containsExactly(
            "4:1: unknown key 'colour' in the policy (allowed: policy, name, regime, controller, children,"
                + " categories, recipients, notices, purposes, retention, security_measures,"
                + " consent_managers)",
            "7:12: a category title must be a non-empty text, found a list",
            "8:5: a category is missing 'id'",
            "9:11: purposes must be a list, found 'just text'");
  }

  @Test
  void categoryIdsAndParents_areChecked() {
    assertThat(
            problems(
                """
                policy: 1
                name: test
                regime: GDPR
                categories:
                  - id: User.Email
                  - id: a.b
                """))
        .containsExactly(
            "5:9: category id 'User.Email' must be lower-case words joined by dots, such as user.contact.email",
            "6:9: category 'a.b' needs its parent 'a' to be declared");
  }

  @Test
  void tabs_giveAPositionNotAStackTrace() {
    List<String> problems = problems("policy: 1\nname: test\ncategories:\n\t- id: user\n");
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0)).startsWith("4:1: YAML syntax: tab character");
  }

  @Test
  void duplicateYamlKey_isReported() {
    assertThat(problems("policy: 1\nname: a\nname: b\nregime: GDPR\n"))
        .containsExactly("3:1: duplicate key 'name' in the policy");
  }

  @Test
  void noticeVersions_mustIncrease_andReferencesMustExist() {
    assertThat(
            problems(
                HEAD
                    + """
                      - id: m
                        versions:
                          - version: 2
                            published: 2026-01-01
                            languages: [en]
                          - version: 1
                            published: 2026-02-01
                            languages: [en]
                    purposes:
                      - id: mail
                        title: Mail
                        basis: gdpr:consent
                        notice: nn
                        recipients: [nobody]
                        categories: [user.contact]
                        consent_validity: P0D
                    """))
        .containsExactly(
            "21:18: notice 'm' versions must increase: 1 follows 2",
            "28:13: unknown notice 'nn' (did you mean 'n'?)",
            "29:18: unknown recipient 'nobody'",
            "31:23: consent_validity must be longer than zero: write ISO 8601 such as P30D, P6M or P2Y");
  }

  @Test
  void emptyOrWrongVersion_isExplained() {
    assertThat(problems("")).containsExactly("1:1: the policy file is empty");
    assertThat(problems("policy: 2\nname: x\nregime: GDPR\n"))
        .containsExactly("1:9: policy must be 1 (the format version)");
    assertThat(problems("policy: 1\nname: x\nregime: CCPA\n"))
        .containsExactly("3:9: regime must be GDPR or DPDP");
  }

  @Test
  void exception_messageListsEveryProblemWithFileAndPosition() {
    assertThatThrownBy(
            () ->
                PolicyLoader.parse("p.yaml", "policy: 1\nregime: GDPR\nname: x\nfoo: 1\nbar: 2\n"))
        .isInstanceOf(PolicyLoadException.class)
        .hasMessageStartingWith("policy file has 2 problems\n  p.yaml:4:1: unknown key 'foo'");
  }
}
