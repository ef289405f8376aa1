package dev.privacykit.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LivePolicyTest {

  @Test
  void reload_swapsAndReportsWhatChanged_andKeepsTheOldPolicyOnProblems(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("policy.yaml");
    String original = PolicyPacks.text("gdpr.yaml");
    Files.writeString(file, original);
    LivePolicy live = LivePolicy.load(file);
    DecisionEngine engine = new DecisionEngine(live, new InMemoryConsentLookup());
    assertThat(live.reload().isEmpty()).isTrue();

    String changed =
        original.replace(
                "  - id: health-notice\n",
                "      - version: 3\n        published: 2026-12-01\n        languages: [en]\n        material: true\n  - id: health-notice\n")
            + "";
    changed =
        changed.replace(
            "retention:\n",
            "  - id: loyalty\n    title: Loyalty points\n    basis: gdpr:contract\n    categories: [user.behaviour.purchases]\n\nretention:\n");
    Files.writeString(file, changed);
    PolicyDiff diff = live.reload();
    assertThat(diff.purposesAdded()).containsExactly("loyalty");
    assertThat(diff.materialNotices()).containsEntry("marketing-notice", 3);
    assertThat(live.current().purpose("loyalty")).isPresent();
    assertThat(
            engine.decide(DecisionRequest.of("acme", "s", "loyalty", java.util.Set.of())).allowed())
        .isTrue();

    Files.writeString(
        file,
        changed.replace(
            "basis: gdpr:contract\n    categories: [user.behaviour.purchases]",
            "basis: gdpr:nonsense\n    categories: [user.behaviour.purchases]"));
    assertThatThrownBy(live::reload)
        .isInstanceOf(PolicyLoadException.class)
        .hasMessageContaining("unknown lawful basis 'gdpr:nonsense'");
    assertThat(live.current().purpose("loyalty")).isPresent();
  }

  @Test
  void reload_refusesAChangedPublishedNoticeText_butTakesANewVersionOrLanguage(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("policy.yaml");
    String original = PolicyPacks.text("dpdp.yaml");
    Files.writeString(file, original);
    LivePolicy live = LivePolicy.load(file);
    String published = live.current().notice("dpdp-notice").get().latest().hash("en").get();

    Files.writeString(file, original.replace("to show offers near you.", "to show offers nearby."));
    assertThatThrownBy(live::reload)
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining(
            "notice 'dpdp-notice' version 2 text in 'en' changed (published " + published)
        .hasMessageContaining("publish the new text as a new version");
    assertThat(live.current().notice("dpdp-notice").get().latest().hash("en")).contains(published);

    Files.writeString(
        file,
        original.replace(
            "          en: |\n            Example Apps Pvt. Ltd. asks your consent to process:\n"
                + "            - your name, mobile number and e-mail address, to create and run your"
                + " account;\n            - how you use the app, to improve it;\n",
            "          ta: \"Tamil text\"\n"
                + "          en: |\n            Example Apps Pvt. Ltd. asks your consent to process:\n"
                + "            - your name, mobile number and e-mail address, to create and run your"
                + " account;\n            - how you use the app, to improve it;\n"));
    live.reload();
    assertThat(live.current().notice("dpdp-notice").get().latest().languages())
        .containsExactly("ta", "en", "hi");
  }
}
