package dev.privacykit.policies.internal;

import dev.privacykit.policies.PolicyProblem;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a YAML document as a tree of nodes that know their line and column, and collects every
 * problem with its position instead of stopping at the first. Not API.
 */
public final class Yaml {
  private final String file;
  private final List<PolicyProblem> problems = new ArrayList<>();

  public Yaml(String file) {
    this.file = file;
  }

  /** Every problem reported so far, in the order found. */
  public List<PolicyProblem> problems() {
    return problems;
  }

  /** Parses {@code text}; a syntax error is reported (with its position) and gives empty. */
  public Optional<Node> parse(String text) {
    if (text.isBlank()) {
      problems.add(new PolicyProblem(file, 1, 1, "the policy file is empty"));
      return Optional.empty();
    }
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(file)
            .setAllowDuplicateKeys(false)
            .setMaxAliasesForCollections(10)
            .build();
    try (Reader reader = new StringReader(text)) {
      Optional<Node> node = new Compose(settings).composeReader(reader);
      if (node.isEmpty()) {
        problems.add(new PolicyProblem(file, 1, 1, "the policy file is empty"));
      }
      return node;
    } catch (MarkedYamlEngineException e) {
      Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
      String what = e.getProblem() == null ? "invalid YAML" : e.getProblem();
      if (what.contains("\\t") || what.contains("tab")) {
        what = "tab character: indent with spaces, not tabs (" + what + ")";
      }
      problems.add(
          new PolicyProblem(
              file,
              mark == null ? 1 : mark.getLine() + 1,
              mark == null ? 1 : mark.getColumn() + 1,
              "YAML syntax: " + what));
      return Optional.empty();
    } catch (YamlEngineException | IOException e) {
      problems.add(new PolicyProblem(file, 1, 1, "YAML syntax: " + e.getMessage()));
      return Optional.empty();
    }
  }

  /** Reports a problem at a node. */
  public void problem(Node node, String message) {
    Optional<Mark> mark = node == null ? Optional.empty() : node.getStartMark();
    problems.add(
        new PolicyProblem(
            file,
            mark.map(m -> m.getLine() + 1).orElse(1),
            mark.map(m -> m.getColumn() + 1).orElse(1),
            message));
  }

  /** The 1-based line of a node. */
  public static int line(Node node) {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
  }

  /**
   * A mapping's entries by key, after checking that it is a mapping, its keys are known and not
   * repeated, and every required key is there. Returns null (with a problem) if it is no mapping.
   */
  public Map<String, Node> mapping(
      Node node, String what, Set<String> required, Set<String> optional) {
    if (!(node instanceof MappingNode mapping)) {
      problem(node, what + " must be a mapping of 'key: value' lines, found " + kind(node));
      return null;
    }
    Map<String, Node> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode keyScalar)) {
        problem(keyNode, what + " has a key that is not a plain word");
        continue;
      }
      String key = keyScalar.getValue();
      if (entries.containsKey(key)) {
        problem(keyNode, "duplicate key '" + key + "' in " + what);
        continue;
      }
      if (!required.contains(key) && !optional.contains(key)) {
        List<String> allowed = new ArrayList<>(required);
        allowed.addAll(optional);
        problem(
            keyNode,
            "unknown key '"
                + key
                + "' in "
                + what
                + " (allowed: "
                + String.join(", ", allowed)
                + ")");
        continue;
      }
      entries.put(key, tuple.getValueNode());
    }
    for (String key : required) {
      if (!entries.containsKey(key)) {
        problem(node, what + " is missing '" + key + "'");
      }
    }
    return entries;
  }

  /** A sequence's items, or an empty list (with a problem) if it is not a sequence. */
  public List<Node> sequence(Node node, String what) {
    if (node instanceof SequenceNode sequence) {
      return sequence.getValue();
    }
    problem(node, what + " must be a list, found " + kind(node));
    return List.of();
  }

  /** A scalar's text, or null (with a problem) if it is not a non-empty scalar. */
  public String text(Node node, String what) {
    if (node instanceof ScalarNode scalar && !scalar.getValue().isBlank()) {
      return scalar.getValue();
    }
    problem(node, what + " must be a non-empty text, found " + kind(node));
    return null;
  }

  /** An optional scalar. */
  public String optionalText(Map<String, Node> entries, String key, String what) {
    Node node = entries.get(key);
    return node == null ? null : text(node, what);
  }

  /** A boolean scalar ({@code true} or {@code false}); {@code fallback} when absent. */
  public boolean bool(Map<String, Node> entries, String key, String what, boolean fallback) {
    Node node = entries.get(key);
    if (node == null) {
      return fallback;
    }
    if (node instanceof ScalarNode s
        && (s.getValue().equals("true") || s.getValue().equals("false"))) {
      return Boolean.parseBoolean(s.getValue());
    }
    problem(node, what + " must be true or false, found " + kind(node));
    return fallback;
  }

  /** A list of texts. */
  public List<String> texts(Map<String, Node> entries, String key, String what) {
    Node node = entries.get(key);
    if (node == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Node item : sequence(node, what)) {
      String value = text(item, "each entry of " + what);
      if (value != null) {
        out.add(value);
      }
    }
    return out;
  }

  /** Parses a scalar with {@code parser}; a failure reports {@code message}. */
  public <T> T parsed(Node node, Function<String, T> parser, String message) {
    if (!(node instanceof ScalarNode scalar)) {
      problem(node, message);
      return null;
    }
    try {
      return parser.apply(scalar.getValue());
    } catch (RuntimeException e) {
      problem(node, message);
      return null;
    }
  }

  private static String kind(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (node instanceof ScalarNode s) {
      return s.getValue().isBlank() ? "nothing" : "'" + s.getValue() + "'";
    }
    return "nothing";
  }
}
