package dev.privacykit.policies;

import dev.privacykit.policies.internal.Yaml;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the {@code retention} section of a policy file for {@link PolicyReading}. */
final class RetentionReading {
  static final Set<String> THIRD_SCHEDULE = Set.of("e_commerce", "online_gaming", "social_media");

  private final PolicyReading reading;
  private final Yaml yaml;

  RetentionReading(PolicyReading reading) {
    this.reading = reading;
    this.yaml = reading.yaml;
  }

  List<RetentionRule> read(Node node, Set<String> purposes, Set<String> categories) {
    List<RetentionRule> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    for (Node item : yaml.sequence(node, "retention")) {
      Map<String, Node> m =
          yaml.mapping(
              item,
              "a retention rule",
              PolicyReading.ordered("period", "then"),
              PolicyReading.ordered("purpose", "category", "when", "third_schedule"));
      if (m == null) {
        continue;
      }
      RetentionRule.Trigger when = RetentionRule.Trigger.COLLECTED;
      if (m.containsKey("when")) {
        when =
            yaml.parsed(
                m.get("when"),
                s -> RetentionRule.Trigger.valueOf(s.toUpperCase(Locale.ROOT)),
                "when must be collected, consent_ended or inactive");
      }
      String purpose = yaml.optionalText(m, "purpose", "purpose");
      String category = yaml.optionalText(m, "category", "category");
      if (when == RetentionRule.Trigger.COLLECTED && (purpose == null) == (category == null)) {
        yaml.problem(item, "a retention rule names exactly one of 'purpose' and 'category'");
      }
      if (when == RetentionRule.Trigger.CONSENT_ENDED && category != null) {
        yaml.problem(m.get("category"), "a consent_ended rule names a purpose or nothing");
      }
      if (when == RetentionRule.Trigger.INACTIVE && (purpose != null || category != null)) {
        yaml.problem(item, "an inactive rule covers the whole principal: no purpose or category");
      }
      String schedule = yaml.optionalText(m, "third_schedule", "third_schedule");
      if (schedule != null && when != RetentionRule.Trigger.INACTIVE) {
        yaml.problem(m.get("third_schedule"), "third_schedule belongs to an inactive rule");
      } else if (schedule != null && !THIRD_SCHEDULE.contains(schedule)) {
        yaml.problem(
            m.get("third_schedule"),
            "third_schedule must be e_commerce, online_gaming or social_media");
      }
      if (purpose != null && !purposes.contains(purpose)) {
        yaml.problem(
            m.get("purpose"),
            "unknown purpose '" + purpose + "'" + PolicyReading.suggestion(purpose, purposes));
      }
      if (category != null && !categories.contains(category)) {
        yaml.problem(
            m.get("category"),
            "unknown category '" + category + "'" + PolicyReading.suggestion(category, categories));
      }
      Period period =
          m.containsKey("period") ? reading.period(m.get("period"), "retention period") : null;
      RetentionRule.Action action = null;
      if (m.containsKey("then")) {
        action =
            yaml.parsed(
                m.get("then"),
                s -> RetentionRule.Action.valueOf(s.toUpperCase(Locale.ROOT)),
                "then must be delete or anonymise");
      }
      if (when == RetentionRule.Trigger.INACTIVE && action == RetentionRule.Action.ANONYMISE) {
        yaml.problem(
            m.get("then"), "an inactive rule erases (DPDP Rules, rule 8(1)): then: delete");
      }
      if (period != null && action != null && when != null) {
        out.add(new RetentionRule(purpose, category, period, action, when, schedule));
      }
    }
    return out;
  }
}
