package dev.privacykit.policies;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** DPDP Act s.5(3), s.6(3): English or any of the 22 languages of the Eighth Schedule. */
class EighthScheduleTest {
  @Test
  void schedule_hasExactlyTheTwentyTwoLanguages_eachNamed() {
    Map<String, String> byTag =
        EighthSchedule.LANGUAGES.stream()
            .collect(Collectors.toMap(EighthSchedule.Language::tag, EighthSchedule.Language::name));
    assertThat(EighthSchedule.LANGUAGES).hasSize(22);
    assertThat(byTag)
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                Map.entry("as", "Assamese"),
                Map.entry("bn", "Bengali"),
                Map.entry("gu", "Gujarati"),
                Map.entry("hi", "Hindi"),
                Map.entry("kn", "Kannada"),
                Map.entry("ks", "Kashmiri"),
                Map.entry("kok", "Konkani"),
                Map.entry("ml", "Malayalam"),
                Map.entry("mni", "Manipuri"),
                Map.entry("mr", "Marathi"),
                Map.entry("ne", "Nepali"),
                Map.entry("or", "Odia"),
                Map.entry("pa", "Punjabi"),
                Map.entry("sa", "Sanskrit"),
                Map.entry("sd", "Sindhi"),
                Map.entry("ta", "Tamil"),
                Map.entry("te", "Telugu"),
                Map.entry("ur", "Urdu"),
                Map.entry("brx", "Bodo"),
                Map.entry("sat", "Santhali"),
                Map.entry("mai", "Maithili"),
                Map.entry("doi", "Dogri")));
    // The Schedule's own order: the 92nd Amendment (2003) added the last four.
    assertThat(EighthSchedule.LANGUAGES.subList(18, 22))
        .extracting(EighthSchedule.Language::name)
        .containsExactly("Bodo", "Santhali", "Maithili", "Dogri");
  }

  @Test
  void englishAndScheduleLanguages_areAllowed_byPrimarySubtag_othersAreNot() {
    assertThat(EighthSchedule.allows("en")).isTrue();
    assertThat(EighthSchedule.allows("en-IN")).isTrue();
    assertThat(EighthSchedule.allows("hi")).isTrue();
    assertThat(EighthSchedule.allows("sat-Olck")).isTrue();
    assertThat(EighthSchedule.allows("doi")).isTrue();
    assertThat(EighthSchedule.allows("fr")).isFalse();
    assertThat(EighthSchedule.allows("de-IN")).isFalse();
    assertThat(EighthSchedule.allows("hin")).isFalse(); // ISO 639-2 where 639-1 exists: not BCP 47
    assertThat(EighthSchedule.language("or").orElseThrow().name()).isEqualTo("Odia");
  }
}
