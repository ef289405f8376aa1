package dev.privacykit.policies;

import static dev.privacykit.policies.PolicyReading.ordered;

import dev.privacykit.policies.internal.Yaml;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads the {@code notices} section of a policy file for {@link PolicyReading}: each version's
 * languages, items, services, links and exact texts. A DPDP version must hold all of them (s.5(1),
 * Rule 3) in English or languages of the Eighth Schedule (s.5(3)); a GDPR version may leave them
 * out, but what it gives is checked the same way.
 */
final class NoticeReading {
  /** A BCP 47 tag: a primary language subtag, then optional subtags. */
  static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{1,8})*");

  private final PolicyReading reading;
  private final Yaml yaml;

  NoticeReading(PolicyReading reading) {
    this.reading = reading;
    this.yaml = reading.yaml;
  }

  List<Notice> read(Node node, Regime regime, Set<String> categories) {
    List<Notice> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    for (Node item : yaml.sequence(node, "notices")) {
      Map<String, Node> m = yaml.mapping(item, "a notice", ordered("id", "versions"), ordered());
      String id = reading.idOf(m, "notice");
      if (id == null || !m.containsKey("versions")) {
        continue;
      }
      List<NoticeVersion> versions = new ArrayList<>();
      int previous = 0;
      for (Node v : yaml.sequence(m.get("versions"), "versions")) {
        Map<String, Node> vm =
            yaml.mapping(
                v,
                "a notice version",
                ordered("version", "published"),
                ordered("languages", "material", "items", "services", "links", "texts"));
        if (vm == null || !vm.containsKey("version")) {
          continue;
        }
        Integer number =
            yaml.parsed(vm.get("version"), Integer::parseInt, "version must be a whole number");
        if (number == null) {
          continue;
        }
        if (number <= previous) {
          yaml.problem(
              vm.get("version"),
              "notice '" + id + "' versions must increase: " + number + " follows " + previous);
        }
        previous = Math.max(previous, number);
        NoticeVersion version = version(id, number, v, vm, regime, categories);
        if (version != null) {
          versions.add(version);
        }
      }
      if (versions.isEmpty()) {
        yaml.problem(m.get("versions"), "notice '" + id + "' needs at least one version");
        continue;
      }
      out.add(new Notice(id, versions));
    }
    return out;
  }

  private NoticeVersion version(
      String id,
      int number,
      Node node,
      Map<String, Node> vm,
      Regime regime,
      Set<String> categories) {
    String name = "notice '" + id + "' version " + number;
    LocalDate published =
        vm.containsKey("published")
            ? yaml.parsed(
                vm.get("published"),
                LocalDate::parse,
                "published must be a date such as 2026-01-31")
            : null;
    List<String> languages = yaml.texts(vm, "languages", "languages");
    if (vm.containsKey("languages") && languages.isEmpty()) {
      yaml.problem(vm.get("languages"), name + " needs at least one language");
    }
    Map<String, NoticeText> texts = texts(vm.get("texts"), name, regime);
    if (!vm.containsKey("languages") && !vm.containsKey("texts")) {
      yaml.problem(node, name + " needs texts (its exact text per language)");
    }
    boolean agree =
        texts.isEmpty()
            || languages.isEmpty()
            || new LinkedHashSet<>(languages).equals(new LinkedHashSet<>(texts.keySet()));
    if (!agree) {
      yaml.problem(
          vm.get("languages"),
          name
              + " has languages "
              + languages
              + " but texts in "
              + List.copyOf(texts.keySet())
              + ": they must name the same languages (or leave out languages)");
    }
    if (regime == Regime.DPDP && texts.isEmpty()) {
      for (String language : languages) {
        allowed(vm.get("languages"), name, language);
      }
    }
    List<NoticeItem> items = items(vm.get("items"), name, categories);
    List<String> services = yaml.texts(vm, "services", "services");
    if (vm.containsKey("services") && services.isEmpty()) {
      yaml.problem(vm.get("services"), name + " services must name at least one");
    }
    NoticeLinks links = links(vm.get("links"), name);
    if (regime == Regime.DPDP) {
      List<String> missing = new ArrayList<>();
      if (items.isEmpty()) {
        missing.add("items");
      }
      if (services.isEmpty()) {
        missing.add("services");
      }
      if (links.withdraw() == null) {
        missing.add("links.withdraw");
      }
      if (links.rights() == null) {
        missing.add("links.rights");
      }
      if (links.complaint() == null) {
        missing.add("links.complaint");
      }
      if (texts.isEmpty()) {
        missing.add("texts");
      }
      if (!missing.isEmpty()) {
        yaml.problem(
            node,
            "DPDP "
                + name
                + " lacks "
                + String.join(", ", missing)
                + " (a notice itemises the personal data and the purpose of each, the goods or"
                + " services it enables, links to withdraw, exercise rights and complain to the"
                + " Board, and its text: s.5(1), Rule 3)");
      }
    }
    return new NoticeVersion(
        number,
        published,
        agree ? languages : List.of(), // reported above; the texts' languages, to go on checking
        yaml.bool(vm, "material", "material", false),
        items,
        services,
        links,
        texts);
  }

  private Map<String, NoticeText> texts(Node node, String name, Regime regime) {
    Map<String, NoticeText> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    if (!(node instanceof MappingNode mapping) || mapping.getValue().isEmpty()) {
      yaml.problem(node, name + " texts must map each language to its exact text, such as 'en: |'");
      return out;
    }
    for (NodeTuple tuple : mapping.getValue()) {
      Node key = tuple.getKeyNode();
      String language = key instanceof ScalarNode s ? s.getValue() : null;
      if (language == null || !LANGUAGE.matcher(language).matches()) {
        yaml.problem(
            key, name + " texts: '" + language + "' is not a BCP 47 language tag such as en or hi");
        continue;
      }
      if (out.containsKey(language)) {
        yaml.problem(key, name + " texts: duplicate language '" + language + "'");
        continue;
      }
      if (regime == Regime.DPDP && !allowed(key, name, language)) {
        continue;
      }
      String text = yaml.text(tuple.getValueNode(), name + " text in '" + language + "'");
      if (text != null) {
        out.put(language, NoticeText.of(text));
      }
    }
    return out;
  }

  private boolean allowed(Node node, String name, String language) {
    if (EighthSchedule.allows(language)) {
      return true;
    }
    yaml.problem(
        node,
        name
            + ": '"
            + language
            + "' is neither English nor a language of the Eighth Schedule (DPDP s.5(3)); use en or "
            + EighthSchedule.LANGUAGES.stream()
                .map(EighthSchedule.Language::tag)
                .collect(Collectors.joining(", ")));
    return false;
  }

  private List<NoticeItem> items(Node node, String name, Set<String> categories) {
    List<NoticeItem> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    List<Node> entries = yaml.sequence(node, "items");
    if (entries.isEmpty() && node instanceof org.snakeyaml.engine.v2.nodes.SequenceNode) {
      yaml.problem(node, name + " items must name at least one item");
    }
    for (Node entry : entries) {
      Map<String, Node> m =
          yaml.mapping(entry, "a notice item", ordered("data", "purpose"), Set.of());
      if (m == null || !m.containsKey("data") || !m.containsKey("purpose")) {
        continue;
      }
      String data = yaml.text(m.get("data"), "an item's data");
      String purpose = yaml.text(m.get("purpose"), "an item's purpose");
      if (data == null || purpose == null) {
        continue;
      }
      if (!categories.contains(data)) {
        yaml.problem(
            m.get("data"),
            name
                + " item names unknown category '"
                + data
                + "'"
                + PolicyReading.suggestion(data, categories));
        continue;
      }
      out.add(new NoticeItem(data, purpose));
    }
    return out;
  }

  private NoticeLinks links(Node node, String name) {
    if (node == null) {
      return NoticeLinks.NONE;
    }
    Map<String, Node> m =
        yaml.mapping(node, name + " links", Set.of(), ordered("withdraw", "rights", "complaint"));
    if (m == null) {
      return NoticeLinks.NONE;
    }
    return new NoticeLinks(
        url(m.get("withdraw"), "links.withdraw"),
        url(m.get("rights"), "links.rights"),
        url(m.get("complaint"), "links.complaint"));
  }

  private URI url(Node node, String what) {
    if (node == null) {
      return null;
    }
    String text = yaml.text(node, what);
    if (text == null) {
      return null;
    }
    try {
      URI uri = new URI(text);
      if ("https".equals(uri.getScheme()) && uri.getHost() != null && uri.getUserInfo() == null) {
        return uri;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    yaml.problem(node, what + " must be an https URL such as https://app.example/privacy");
    return null;
  }
}
