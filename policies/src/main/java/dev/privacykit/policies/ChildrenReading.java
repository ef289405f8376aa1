package dev.privacykit.policies;

import dev.privacykit.policies.internal.Yaml;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a policy's rules for children's data: the top-level {@code children:} section (age,
 * fiduciary class) and each purpose's {@code tracking}, {@code targeted_advertising}, {@code
 * detrimental_to_children} and {@code child_exemption}.
 */
final class ChildrenReading {
  /** The purpose keys this class reads. */
  static final String[] PURPOSE_KEYS = {
    "tracking", "targeted_advertising", "detrimental_to_children", "child_exemption"
  };

  private final Yaml yaml;

  ChildrenReading(Yaml yaml) {
    this.yaml = yaml;
  }

  /** The {@code children:} section, or the regime's defaults when there is none. */
  ChildRules rules(Node node, Regime regime) {
    ChildRules defaults = ChildRules.defaults(regime);
    if (node == null) {
      return defaults;
    }
    Map<String, Node> m =
        yaml.mapping(
            node,
            "children",
            PolicyReading.ordered(),
            PolicyReading.ordered("age", "fiduciary_class"));
    if (m == null) {
      return defaults;
    }
    int age = defaults.age();
    if (m.containsKey("age")) {
      Integer read = yaml.parsed(m.get("age"), Integer::valueOf, "children.age must be a number");
      if (read != null) {
        if (regime == Regime.DPDP && read != 18) {
          yaml.problem(
              m.get("age"),
              "children.age must be 18 under DPDP: a child has not completed eighteen years"
                  + " (s.2(f))");
        } else if (regime == Regime.GDPR && (read < 13 || read > 16)) {
          yaml.problem(
              m.get("age"),
              "children.age must be 13 to 16 under GDPR (Art. 8(1): 16 unless the member state"
                  + " sets a lower age, not below 13)");
        } else {
          age = read;
        }
      }
    }
    FourthSchedule fiduciaryClass = null;
    if (m.containsKey("fiduciary_class")) {
      fiduciaryClass = exemption(m.get("fiduciary_class"), "children.fiduciary_class");
      if (fiduciaryClass != null && fiduciaryClass.part() != 'A') {
        yaml.problem(
            m.get("fiduciary_class"),
            "children.fiduciary_class must be a class of Part A of the Fourth Schedule ("
                + codes('A')
                + ")");
        fiduciaryClass = null;
      } else if (fiduciaryClass != null && regime != Regime.DPDP) {
        yaml.problem(
            m.get("fiduciary_class"),
            "children.fiduciary_class is a DPDP rule (Rule 12, Fourth Schedule)");
        fiduciaryClass = null;
      }
    }
    return new ChildRules(age, fiduciaryClass);
  }

  /** A purpose's child safety flags and exemption, checked against the policy's rules. */
  ChildSafety purpose(Map<String, Node> m, String id, Regime regime, ChildRules rules) {
    boolean tracking = yaml.bool(m, "tracking", "tracking", false);
    boolean advertising = yaml.bool(m, "targeted_advertising", "targeted_advertising", false);
    boolean detrimental = yaml.bool(m, "detrimental_to_children", "detrimental_to_children", false);
    FourthSchedule exemption = null;
    Node node = m.get("child_exemption");
    if (node != null) {
      exemption = exemption(node, "child_exemption");
      if (exemption != null && regime != Regime.DPDP) {
        yaml.problem(
            node,
            "child_exemption is a DPDP rule (Rule 12, Fourth Schedule); a "
                + regime
                + " policy has none");
        exemption = null;
      } else if (exemption != null
          && exemption.part() == 'A'
          && exemption != rules.fiduciaryClass()) {
        yaml.problem(
            node,
            "purpose '"
                + id
                + "' claims "
                + exemption.code()
                + ", a class of Data Fiduciary, but children.fiduciary_class is "
                + (rules.fiduciaryClass() == null ? "not set" : rules.fiduciaryClass().code()));
        exemption = null;
      } else if (exemption != null && detrimental) {
        yaml.problem(
            node,
            "purpose '"
                + id
                + "' is detrimental_to_children: no exemption lifts s.9(2) of the DPDP Act");
        exemption = null;
      }
    }
    return new ChildSafety(tracking, advertising, detrimental, exemption);
  }

  private FourthSchedule exemption(Node node, String what) {
    String code = yaml.text(node, what);
    if (code == null) {
      return null;
    }
    FourthSchedule found = FourthSchedule.ofCode(code).orElse(null);
    if (found == null) {
      yaml.problem(
          node,
          "unknown "
              + what
              + " '"
              + code
              + "' (the Fourth Schedule to the DPDP Rules: "
              + codes('A')
              + ", "
              + codes('B')
              + ")");
    }
    return found;
  }

  private static String codes(char part) {
    return Arrays.stream(FourthSchedule.values())
        .filter(e -> e.part() == part)
        .map(FourthSchedule::code)
        .collect(Collectors.joining(", "));
  }
}
