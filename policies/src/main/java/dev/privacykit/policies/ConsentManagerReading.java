package dev.privacykit.policies;

import dev.privacykit.policies.internal.Yaml;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads the {@code consent_managers} list for {@link PolicyReading}: each Consent Manager
 * registered with the Board (DPDP Act s.2(g), s.6(9); Rules 2025, rule 4) with its public keys. A
 * DPDP provision: a GDPR policy that lists Consent Managers is refused. A key with private parts,
 * without a {@code kid}, or of a type other than EC, OKP or RSA is refused.
 */
final class ConsentManagerReading {
  /** The most keys one manager may list. */
  static final int MAX_KEYS = 20;

  /** JWK members that carry private or secret key material (RFC 7517, RFC 7518 §6). */
  static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

  private static final Set<String> KEY_TYPES = Set.of("EC", "OKP", "RSA");

  private final PolicyReading reading;
  private final Yaml yaml;

  ConsentManagerReading(PolicyReading reading) {
    this.reading = reading;
    this.yaml = reading.yaml;
  }

  List<ConsentManagerEntry> read(Node node, Regime regime) {
    List<ConsentManagerEntry> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (regime != Regime.DPDP) {
      yaml.problem(
          node,
          "consent_managers are a DPDP provision (Act s.6(7)-(9), Rules 2025 rule 4): set regime:"
              + " DPDP or remove them");
      return out;
    }
    for (Node item : yaml.sequence(node, "consent_managers")) {
      Map<String, Node> m =
          yaml.mapping(
              item,
              "a consent manager",
              PolicyReading.ordered("id", "registration_number", "name", "jwks"),
              PolicyReading.ordered());
      if (m == null || !m.containsKey("id")) {
        continue;
      }
      String id = yaml.text(m.get("id"), "a consent manager id");
      if (id == null) {
        continue;
      }
      if (!PolicyReading.ID.matcher(id).matches() || id.length() > 128) {
        yaml.problem(
            m.get("id"),
            "consent manager id '"
                + id
                + "' must be 1 to 128 lower-case letters, digits, '_' or '-'");
        continue;
      }
      if (!reading.unique("consent manager", id, m.get("id"))) {
        continue;
      }
      String number = line(m.get("registration_number"), "registration_number");
      String name = line(m.get("name"), "a consent manager name");
      String jwks = m.containsKey("jwks") ? jwks(m.get("jwks"), id) : null;
      if (number != null && name != null && jwks != null) {
        out.add(new ConsentManagerEntry(id, number, name, jwks));
      }
    }
    return out;
  }

  private String line(Node node, String what) {
    if (node == null) {
      return null;
    }
    String text = yaml.text(node, what);
    if (text != null && (text.length() > 256 || text.chars().anyMatch(c -> c < 0x20))) {
      yaml.problem(node, what + " must be one line of at most 256 characters");
      return null;
    }
    return text;
  }

  /** The key set as JSON text, or null (with problems). */
  private String jwks(Node node, String manager) {
    Map<String, Node> set = yaml.mapping(node, "jwks", PolicyReading.ordered("keys"), Set.of());
    if (set == null || !set.containsKey("keys")) {
      return null;
    }
    List<Node> keys = yaml.sequence(set.get("keys"), "jwks keys");
    if (keys.isEmpty() || keys.size() > MAX_KEYS) {
      yaml.problem(
          set.get("keys"),
          "consent manager '" + manager + "' must list 1 to " + MAX_KEYS + " public keys");
      return null;
    }
    boolean ok = true;
    Set<String> kids = new HashSet<>();
    for (Node key : keys) {
      ok &= key(key, manager, kids);
    }
    return ok ? json(node) : null;
  }

  private boolean key(Node key, String manager, Set<String> kids) {
    if (!(key instanceof MappingNode mapping)) {
      yaml.problem(key, "each key of consent manager '" + manager + "' must be a JWK mapping");
      return false;
    }
    String kty = null;
    String kid = null;
    for (NodeTuple tuple : mapping.getValue()) {
      String member = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
      if (PRIVATE_MEMBERS.contains(member)) {
        yaml.problem(
            tuple.getKeyNode(),
            "a key of consent manager '"
                + manager
                + "' has private key material ('"
                + member
                + "'): list public keys only");
        return false;
      }
      if (tuple.getValueNode() instanceof ScalarNode s) {
        kty = member.equals("kty") ? s.getValue() : kty;
        kid = member.equals("kid") ? s.getValue() : kid;
      }
    }
    if (kty == null || !KEY_TYPES.contains(kty)) {
      yaml.problem(key, "a key of consent manager '" + manager + "' must have kty EC, OKP or RSA");
      return false;
    }
    if (kid == null || kid.isBlank() || kid.length() > 128) {
      yaml.problem(key, "each key of consent manager '" + manager + "' needs a kid");
      return false;
    }
    if (!kids.add(kid)) {
      yaml.problem(key, "consent manager '" + manager + "' lists kid '" + kid + "' twice");
      return false;
    }
    return true;
  }

  /** A YAML tree of mappings, lists and scalars as JSON text; every scalar is a string. */
  private static String json(Node node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString();
  }

  private static void write(Node node, StringBuilder out) {
    if (node instanceof MappingNode mapping) {
      out.append('{');
      String comma = "";
      for (NodeTuple tuple : mapping.getValue()) {
        out.append(comma);
        write(tuple.getKeyNode(), out);
        out.append(':');
        write(tuple.getValueNode(), out);
        comma = ",";
      }
      out.append('}');
    } else if (node instanceof SequenceNode sequence) {
      out.append('[');
      String comma = "";
      for (Node item : sequence.getValue()) {
        out.append(comma);
        write(item, out);
        comma = ",";
      }
      out.append(']');
    } else {
      String text = node instanceof ScalarNode s ? s.getValue() : "";
      out.append('"');
      for (char c : text.toCharArray()) {
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          default -> {
            if (c < 0x20) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      out.append('"');
    }
  }
}
