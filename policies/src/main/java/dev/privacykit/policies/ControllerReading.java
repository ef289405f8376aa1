package dev.privacykit.policies;

import dev.privacykit.policies.internal.Yaml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads what a record of processing activities needs beyond purposes for {@link PolicyReading}: the
 * {@code controller} block, the {@code security_measures} lines, and each recipient's transfer
 * {@code safeguard}.
 */
final class ControllerReading {
  /** The longest controller field or security measure line, in characters. */
  static final int MAX_TEXT = 500;

  private final Yaml yaml;

  ControllerReading(Yaml yaml) {
    this.yaml = yaml;
  }

  /** The controller block, or null when absent or wrong (with problems). */
  Controller controller(Node node) {
    if (node == null) {
      return null;
    }
    Map<String, Node> m =
        yaml.mapping(
            node,
            "controller",
            PolicyReading.ordered("name", "contact"),
            PolicyReading.ordered("dpo", "representative"));
    if (m == null) {
      return null;
    }
    String name = line(m, "name", "controller name");
    String contact = line(m, "contact", "controller contact");
    String dpo = line(m, "dpo", "controller dpo");
    String representative = line(m, "representative", "controller representative");
    if (name == null || contact == null) {
      return null; // the mapping already reported the missing key, or line() the bad value
    }
    return new Controller(name, contact, dpo, representative);
  }

  /** The {@code security_measures} lines. */
  List<String> securityMeasures(Node node) {
    List<String> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    for (Node item : yaml.sequence(node, "security_measures")) {
      String text = checked(item, "each security measure");
      if (text != null) {
        out.add(text);
      }
    }
    return out;
  }

  /**
   * A recipient's safeguard, checked against the allowlist; and, in a GDPR policy, required for a
   * recipient outside the EEA (Chapter V: no transfer without an adequacy decision, appropriate
   * safeguards or a derogation).
   */
  Safeguard safeguard(Map<String, Node> recipient, String id, String country, Regime regime) {
    Safeguard safeguard = null;
    Node node = recipient.get("safeguard");
    if (node != null) {
      String code = yaml.text(node, "safeguard");
      safeguard = code == null ? null : Safeguard.ofCode(code).orElse(null);
      if (code != null && safeguard == null) {
        yaml.problem(
            node,
            "unknown safeguard '"
                + code
                + "' (known: "
                + String.join(
                    ", ", java.util.Arrays.stream(Safeguard.values()).map(Safeguard::code).toList())
                + ")");
      }
    }
    if (node == null
        && regime == Regime.GDPR
        && HomeRegion.isThirdCountry(regime, country)
        && recipient.get("country") != null) {
      yaml.problem(
          recipient.get("country"),
          "recipient '"
              + id
              + "' is in "
              + country
              + ", outside the EEA: name the transfer's safeguard (safeguard: adequacy_decision,"
              + " sccs, bcrs, ...; GDPR Chapter V)");
    }
    return safeguard;
  }

  private String line(Map<String, Node> m, String key, String what) {
    Node node = m.get(key);
    return node == null ? null : checked(node, what);
  }

  private String checked(Node node, String what) {
    String text = yaml.text(node, what);
    if (text == null) {
      return null;
    }
    if (text.length() > MAX_TEXT) {
      yaml.problem(node, what + " must be at most " + MAX_TEXT + " characters");
      return null;
    }
    if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      yaml.problem(node, what + " must be one line without control characters");
      return null;
    }
    return text.strip();
  }
}
