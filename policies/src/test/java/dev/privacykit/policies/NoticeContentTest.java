package dev.privacykit.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A notice version holds its content (DPDP s.5(1), s.5(3), Rule 3; GDPR Art. 12, 13): the loader
 * refuses a DPDP version that lacks any of it, naming file, line and what is missing.
 */
class NoticeContentTest {
  private static final String HEAD =
      """
      policy: 1
      name: test
      regime: %s
      categories:
        - id: p
        - id: p.email
      notices:
        - id: n
          versions:
      """;

  private static final String FULL =
      """
          - version: 1
            published: 2026-01-01
            items:
              - {data: p.email, purpose: Send receipts}
            services: [Receipts]
            links:
              withdraw: https://app.example/consent
              rights: https://app.example/rights
              complaint: https://app.example/board
            texts:
              en: "We use your e-mail address to send receipts."
              hi: "हम रसीदें भेजने के लिए आपके ई-मेल पते का उपयोग करते हैं।"
      """;

  private static List<String> problems(String regime, String versions) {
    try {
      PolicyLoader.parse("n.yaml", HEAD.formatted(regime) + versions);
    } catch (PolicyLoadException e) {
      assertThat(e.problems()).allSatisfy(p -> assertThat(p.file()).isEqualTo("n.yaml"));
      return e.problems().stream()
          .map(p -> p.line() + ":" + p.column() + ": " + p.message())
          .toList();
    }
    return List.of();
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void dpdpVersion_withAllContent_loads_andHashesEachExactText() throws Exception {
    PolicySet set = PolicyLoader.parse("n.yaml", HEAD.formatted("DPDP") + FULL);
    NoticeVersion v = set.notice("n").orElseThrow().version(1).orElseThrow();
    assertThat(v.languages()).containsExactly("en", "hi");
    assertThat(v.items()).containsExactly(new NoticeItem("p.email", "Send receipts"));
    assertThat(v.services()).containsExactly("Receipts");
    assertThat(v.links())
        .isEqualTo(
            new NoticeLinks(
                URI.create("https://app.example/consent"),
                URI.create("https://app.example/rights"),
                URI.create("https://app.example/board")));
    assertThat(v.text("en")).contains("We use your e-mail address to send receipts.");
    assertThat(v.hash("en")).contains(sha256("We use your e-mail address to send receipts."));
    assertThat(v.hash("hi"))
        .contains(sha256("हम रसीदें भेजने के लिए आपके ई-मेल पते का उपयोग करते हैं।"));
    assertThat(v.hash("en")).hasValueSatisfying(h -> assertThat(h).matches("[0-9a-f]{64}"));
    assertThat(v.hash("ta")).isEmpty();
    assertThat(v.text("ta")).isEmpty();
  }

  @Test
  void dpdpVersion_lackingContent_isRefused_namingWhatIsMissing() {
    assertThat(
            problems(
                "DPDP",
                """
                    - version: 1
                      published: 2026-01-01
                      languages: [en]
                """))
        .containsExactly(
            "10:7: DPDP notice 'n' version 1 lacks items, services, links.withdraw, links.rights,"
                + " links.complaint, texts (a notice itemises the personal data and the purpose of"
                + " each, the goods or services it enables, links to withdraw, exercise rights and"
                + " complain to the Board, and its text: s.5(1), Rule 3)");
    assertThat(problems("DPDP", FULL.replaceAll(" *complaint: https://app.example/board\n", "")))
        .singleElement()
        .asString()
        .startsWith("10:7: DPDP notice 'n' version 1 lacks links.complaint (");
  }

  @Test
  void dpdpLanguage_mustBeEnglishOrOfTheEighthSchedule() {
    assertThat(problems("DPDP", FULL.replace("      hi: ", "      fr: ")))
        .singleElement()
        .asString()
        .startsWith(
            "21:9: notice 'n' version 1: 'fr' is neither English nor a language of the Eighth"
                + " Schedule (DPDP s.5(3)); use en or as, bn, gu, hi,");
    // GDPR notices may be in any language
    assertThat(problems("GDPR", FULL.replace("      hi: ", "      fr: "))).isEmpty();
  }

  @Test
  void contentIsChecked_inEveryRegime() {
    String bad =
        FULL.replace("data: p.email", "data: p.emial")
            .replace("https://app.example/rights", "http://app.example/rights");
    assertThat(problems("GDPR", bad))
        .containsExactly(
            "13:18: notice 'n' version 1 item names unknown category 'p.emial' (did you mean"
                + " 'p.email'?)",
            "17:17: links.rights must be an https URL such as https://app.example/privacy");
  }

  @Test
  void languagesAndTexts_mustAgree_andTheOldLanguagesListStillLoadsForGdpr() {
    assertThat(
            problems(
                "DPDP", FULL.replace("      items:", "      languages: [en, ta]\n      items:")))
        .containsExactly(
            "12:18: notice 'n' version 1 has languages [en, ta] but texts in [en, hi]: they must"
                + " name the same languages (or leave out languages)");
    assertThat(
            problems(
                "DPDP", FULL.replace("      items:", "      languages: [hi, en]\n      items:")))
        .isEmpty();
    PolicySet old =
        PolicyLoader.parse(
            "n.yaml",
            HEAD.formatted("GDPR")
                + """
                    - version: 1
                      published: 2026-01-01
                      languages: [en, de]
                """);
    NoticeVersion v = old.notice("n").orElseThrow().latest();
    assertThat(v.languages()).containsExactly("en", "de");
    assertThat(v.texts()).isEmpty();
    assertThat(v.hash("en")).isEmpty();
    assertThat(problems("GDPR", "    - version: 1\n      published: 2026-01-01\n"))
        .containsExactly("10:7: notice 'n' version 1 needs texts (its exact text per language)");
  }

  @Test
  void oldConstructor_stillWorks_andAVersionNeverCarriesAnotherTextsHash() {
    NoticeVersion v = new NoticeVersion(1, LocalDate.of(2026, 1, 1), List.of("en"), false);
    assertThat(v.items()).isEmpty();
    assertThat(v.links()).isEqualTo(NoticeLinks.NONE);
    assertThatThrownBy(() -> new NoticeText("shown", NoticeText.sha256("another")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new NoticeVersion(
                    1,
                    LocalDate.of(2026, 1, 1),
                    List.of("en", "hi"),
                    false,
                    List.of(),
                    List.of(),
                    null,
                    Map.of("en", NoticeText.of("x"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void packs_carryFullContent() {
    NoticeVersion dpdp = PolicyPacks.dpdp().notice("dpdp-notice").orElseThrow().latest();
    assertThat(dpdp.languages()).contains("en", "hi");
    assertThat(dpdp.links().isComplete()).isTrue();
    assertThat(dpdp.items()).extracting(NoticeItem::data).contains("principal.location");
    NoticeVersion gdpr = PolicyPacks.gdpr().notice("marketing-notice").orElseThrow().latest();
    assertThat(gdpr.texts()).containsOnlyKeys("en", "de");
    assertThat(gdpr.links().complaint()).hasScheme("https");
  }
}
