package dev.privacykit.policies;

import dev.privacykit.policies.internal.Yaml;
import java.time.Period;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the {@code purposes} section of a policy file for {@link PolicyReading}. */
final class PurposeReading {
  private final PolicyReading reading;
  private final Yaml yaml;
  private final ChildrenReading childrenReading;

  PurposeReading(PolicyReading reading) {
    this.reading = reading;
    this.yaml = reading.yaml;
    this.childrenReading = new ChildrenReading(reading.yaml);
  }

  List<Purpose> read(
      Node node,
      Regime regime,
      ChildRules children,
      Map<String, DataCategory> categories,
      Set<String> recipients,
      Set<String> notices) {
    List<Purpose> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    for (Node item : yaml.sequence(node, "purposes")) {
      Map<String, Node> m =
          yaml.mapping(
              item,
              "a purpose",
              PolicyReading.ordered("id", "title", "basis", "categories"),
              PolicyReading.ordered(
                  "description",
                  "art9_condition",
                  "notice",
                  "consent_validity",
                  "gpc",
                  "explicit_opt_in_overrides_gpc",
                  "recipients",
                  "actors",
                  "direct_marketing",
                  "automated_decision",
                  "subjects",
                  ChildrenReading.PURPOSE_KEYS[0],
                  ChildrenReading.PURPOSE_KEYS[1],
                  ChildrenReading.PURPOSE_KEYS[2],
                  ChildrenReading.PURPOSE_KEYS[3]));
      String id = reading.idOf(m, "purpose");
      if (id == null) {
        continue;
      }
      LawfulBasis basis = null;
      if (m.containsKey("basis")) {
        String code = yaml.text(m.get("basis"), "basis");
        basis = code == null ? null : LawfulBasis.ofCode(code).orElse(null);
        if (code != null && basis == null) {
          yaml.problem(
              m.get("basis"),
              "unknown lawful basis '"
                  + code
                  + "' (known: "
                  + Arrays.stream(LawfulBasis.values())
                      .filter(b -> regime == null || b.regime() == regime)
                      .map(LawfulBasis::code)
                      .collect(Collectors.joining(", "))
                  + ")");
        } else if (basis != null && regime != null && basis.regime() != regime) {
          yaml.problem(
              m.get("basis"),
              "lawful basis '"
                  + code
                  + "' belongs to "
                  + basis.regime()
                  + ", not to this "
                  + regime
                  + " policy");
        }
      }
      Art9Condition art9 = null;
      if (m.containsKey("art9_condition")) {
        String code = yaml.text(m.get("art9_condition"), "art9_condition");
        art9 = code == null ? null : Art9Condition.ofCode(code).orElse(null);
        if (code != null && art9 == null) {
          yaml.problem(
              m.get("art9_condition"),
              "unknown Art. 9 condition '"
                  + code
                  + "' (known: "
                  + Arrays.stream(Art9Condition.values())
                      .map(Art9Condition::code)
                      .collect(Collectors.joining(", "))
                  + ")");
        } else if (regime == Regime.DPDP) {
          yaml.problem(
              m.get("art9_condition"), "art9_condition is a GDPR rule; a DPDP policy has none");
        }
      }
      Set<String> used = new LinkedHashSet<>();
      boolean special = false;
      if (m.containsKey("categories")) {
        List<Node> items = yaml.sequence(m.get("categories"), "categories");
        if (items.isEmpty()
            && m.get("categories") instanceof org.snakeyaml.engine.v2.nodes.SequenceNode) {
          yaml.problem(m.get("categories"), "purpose '" + id + "' must name at least one category");
        }
        for (Node c : items) {
          String category = yaml.text(c, "a category");
          if (category == null) {
            continue;
          }
          DataCategory known = categories.get(category);
          if (known == null) {
            yaml.problem(
                c,
                "unknown category '"
                    + category
                    + "'"
                    + PolicyReading.suggestion(category, categories.keySet()));
            continue;
          }
          used.add(category);
          special |=
              known.isSpecial()
                  || categories.values().stream()
                      .anyMatch(d -> d.isSpecial() && known.covers(d.id()));
        }
      }
      if (special && regime == Regime.GDPR && art9 == null && basis != null) {
        yaml.problem(
            m.get("categories"),
            "purpose '"
                + id
                + "' uses special categories of data but has no art9_condition (GDPR Art. 9(2))");
      }
      String notice = yaml.optionalText(m, "notice", "notice");
      boolean needsConsent =
          (basis != null && basis.requiresConsent()) || (art9 != null && art9.requiresConsent());
      if (notice != null && !notices.contains(notice)) {
        yaml.problem(
            m.get("notice"),
            "unknown notice '" + notice + "'" + PolicyReading.suggestion(notice, notices));
      }
      if (needsConsent && notice == null && basis != null) {
        yaml.problem(
            m.get("basis"),
            "purpose '" + id + "' relies on consent but names no notice to ask it under");
      }
      Period validity = null;
      if (m.containsKey("consent_validity")) {
        validity = reading.period(m.get("consent_validity"), "consent_validity");
        if (!needsConsent && basis != null) {
          yaml.problem(
              m.get("consent_validity"),
              "consent_validity is set but purpose '" + id + "' does not rely on consent");
        }
      }
      boolean gpc = yaml.bool(m, "gpc", "gpc", false);
      boolean override =
          yaml.bool(m, "explicit_opt_in_overrides_gpc", "explicit_opt_in_overrides_gpc", false);
      if (override && !gpc) {
        yaml.problem(
            m.get("explicit_opt_in_overrides_gpc"),
            "explicit_opt_in_overrides_gpc needs gpc: true");
      }
      List<String> purposeRecipients = yaml.texts(m, "recipients", "recipients");
      if (m.containsKey("recipients")) {
        List<Node> nodes = yaml.sequence(m.get("recipients"), "recipients");
        for (int i = 0; i < nodes.size() && i < purposeRecipients.size(); i++) {
          if (!recipients.contains(purposeRecipients.get(i))) {
            yaml.problem(
                nodes.get(i),
                "unknown recipient '"
                    + purposeRecipients.get(i)
                    + "'"
                    + PolicyReading.suggestion(purposeRecipients.get(i), recipients));
          }
        }
      }
      boolean directMarketing = yaml.bool(m, "direct_marketing", "direct_marketing", false);
      boolean automated = yaml.bool(m, "automated_decision", "automated_decision", false);
      if (automated && basis != null) {
        AutomatedDecisions.check(yaml, m, id, basis, art9, special);
      }
      List<String> subjects = subjects(m, id);
      ChildSafety childSafety = childrenReading.purpose(m, id, regime, children);
      if (basis == null) {
        continue;
      }
      out.add(
          new Purpose(
              id,
              yaml.optionalText(m, "title", "title"),
              yaml.optionalText(m, "description", "description"),
              basis,
              art9,
              used,
              notice,
              validity,
              gpc,
              override,
              purposeRecipients,
              new LinkedHashSet<>(yaml.texts(m, "actors", "actors")),
              directMarketing,
              automated,
              subjects,
              childSafety));
    }
    return out;
  }

  /** The purpose's categories of data subjects: lower-case words, each once. */
  private List<String> subjects(Map<String, Node> m, String id) {
    List<String> out = new ArrayList<>();
    if (!m.containsKey("subjects")) {
      return out;
    }
    for (Node item : yaml.sequence(m.get("subjects"), "subjects")) {
      String subject = yaml.text(item, "each entry of subjects");
      if (subject == null) {
        continue;
      }
      if (!PolicyReading.ID.matcher(subject).matches()) {
        yaml.problem(
            item,
            "subject category '"
                + subject
                + "' must be lower-case letters, digits, '_' or '-', such as customers");
      } else if (out.contains(subject)) {
        yaml.problem(item, "purpose '" + id + "' names subject category '" + subject + "' twice");
      } else {
        out.add(subject);
      }
    }
    return out;
  }
}
