package dev.privacykit.policies;

import dev.privacykit.policies.internal.Yaml;
import java.time.Period;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.Node;

/** One pass over one policy file: the whole file is read and every problem collected. */
final class PolicyReading {
  static final Pattern ID = Pattern.compile("[a-z][a-z0-9_-]*");
  static final Pattern CATEGORY_ID = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");
  static final Set<String> SPECIAL =
      Set.of(
          "racial_or_ethnic_origin",
          "political_opinions",
          "religious_or_philosophical_beliefs",
          "trade_union_membership",
          "genetic",
          "biometric",
          "health",
          "sex_life_or_orientation",
          "criminal_records");
  static final Set<String> ROLES =
      Set.of("processor", "controller", "joint_controller", "public_authority");
  static final String PERIOD_HINT = "write ISO 8601 such as P30D, P6M or P2Y";

  private final String file;
  final Yaml yaml;
  private final Map<String, Integer> firstLine = new HashMap<>();
  private final PurposeReading purposeReading;
  private final ControllerReading controllerReading;

  PolicyReading(String file) {
    this.file = file;
    this.yaml = new Yaml(file);
    this.purposeReading = new PurposeReading(this);
    this.controllerReading = new ControllerReading(yaml);
  }

  PolicySet read(String text) {
    Node root = yaml.parse(text).orElse(null);
    if (root == null) {
      throw new PolicyLoadException(yaml.problems());
    }
    Map<String, Node> top =
        yaml.mapping(
            root,
            "the policy",
            ordered("policy", "name", "regime"),
            ordered(
                "controller",
                "children",
                "categories",
                "recipients",
                "notices",
                "purposes",
                "retention",
                "security_measures",
                "consent_managers"));
    if (top == null) {
      throw new PolicyLoadException(yaml.problems());
    }
    Node version = top.get("policy");
    if (version != null && !"1".equals(yaml.text(version, "policy"))) {
      yaml.problem(version, "policy must be 1 (the format version)");
    }
    String name = top.containsKey("name") ? yaml.text(top.get("name"), "name") : null;
    Regime regime = null;
    if (top.containsKey("regime")) {
      regime =
          yaml.parsed(top.get("regime"), s -> Regime.valueOf(s), "regime must be GDPR or DPDP");
    }
    List<DataCategory> categories = categories(top.get("categories"));
    Map<String, DataCategory> byId =
        categories.stream().collect(Collectors.toMap(DataCategory::id, c -> c, (a, b) -> a));
    Controller controller = controllerReading.controller(top.get("controller"));
    List<String> measures = controllerReading.securityMeasures(top.get("security_measures"));
    List<Recipient> recipients = recipients(top.get("recipients"), regime);
    List<Notice> notices = new NoticeReading(this).read(top.get("notices"), regime, byId.keySet());
    ChildRules children = new ChildrenReading(yaml).rules(top.get("children"), regime);
    List<Purpose> purposes =
        purposeReading.read(
            top.get("purposes"),
            regime,
            children,
            byId,
            ids(recipients, Recipient::id),
            ids(notices, Notice::id));
    List<RetentionRule> retention =
        new RetentionReading(this)
            .read(top.get("retention"), ids(purposes, Purpose::id), byId.keySet());
    List<ConsentManagerEntry> managers =
        new ConsentManagerReading(this).read(top.get("consent_managers"), regime);
    if (!yaml.problems().isEmpty()) {
      List<PolicyProblem> sorted = new ArrayList<>(yaml.problems());
      sorted.sort(
          java.util.Comparator.comparingInt(PolicyProblem::line)
              .thenComparingInt(PolicyProblem::column));
      throw new PolicyLoadException(sorted);
    }
    return new PolicySet(
            name,
            regime,
            categories,
            purposes,
            notices,
            recipients,
            retention,
            controller,
            measures,
            children)
        .withConsentManagers(managers);
  }

  private List<DataCategory> categories(Node node) {
    List<DataCategory> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    Map<String, Node> idNodes = new HashMap<>();
    Map<String, String> declaredSpecial = new HashMap<>();
    List<String> order = new ArrayList<>();
    Map<String, String> titles = new HashMap<>();
    for (Node item : yaml.sequence(node, "categories")) {
      Map<String, Node> m =
          yaml.mapping(item, "a category", ordered("id"), ordered("title", "special"));
      if (m == null || !m.containsKey("id")) {
        continue;
      }
      String id = yaml.text(m.get("id"), "a category id");
      if (id == null) {
        continue;
      }
      if (!CATEGORY_ID.matcher(id).matches()) {
        yaml.problem(
            m.get("id"),
            "category id '"
                + id
                + "' must be lower-case words joined by dots, such as user.contact.email");
        continue;
      }
      if (!unique("category", id, m.get("id"))) {
        continue;
      }
      idNodes.put(id, m.get("id"));
      order.add(id);
      titles.put(id, yaml.optionalText(m, "title", "a category title"));
      String special = yaml.optionalText(m, "special", "special");
      if ("children".equals(special)) {
        yaml.problem(
            m.get("special"),
            "children's data is not a special category (GDPR Art. 9(1) does not list it); mark the"
                + " data principal as a child instead, so consent needs a verified parent (DPDP"
                + " s.9, GDPR Art. 8)");
        special = null;
      } else if (special != null && !SPECIAL.contains(special)) {
        yaml.problem(
            m.get("special"),
            "unknown special category '"
                + special
                + "' (known: "
                + String.join(", ", new java.util.TreeSet<>(SPECIAL))
                + ")");
        special = null;
      }
      if (special != null) {
        declaredSpecial.put(id, special);
      }
    }
    for (String id : order) {
      int dot = id.lastIndexOf('.');
      if (dot > 0 && !idNodes.containsKey(id.substring(0, dot))) {
        yaml.problem(
            idNodes.get(id),
            "category '" + id + "' needs its parent '" + id.substring(0, dot) + "' to be declared");
      }
    }
    for (String id : order) {
      String special = null;
      for (String ancestor = id; ancestor != null; ancestor = parent(ancestor)) {
        if (declaredSpecial.containsKey(ancestor)) {
          special = declaredSpecial.get(ancestor);
          break;
        }
      }
      out.add(new DataCategory(id, titles.get(id) == null ? id : titles.get(id), special));
    }
    return out;
  }

  private List<Recipient> recipients(Node node, Regime regime) {
    List<Recipient> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    for (Node item : yaml.sequence(node, "recipients")) {
      Map<String, Node> m =
          yaml.mapping(
              item, "a recipient", ordered("id", "name", "role"), ordered("country", "safeguard"));
      String id = idOf(m, "recipient");
      if (id == null) {
        continue;
      }
      String role = yaml.optionalText(m, "role", "role");
      if (role != null && !ROLES.contains(role)) {
        yaml.problem(
            m.get("role"),
            "unknown recipient role '"
                + role
                + "' (known: controller, joint_controller, processor, public_authority)");
      }
      String country = yaml.optionalText(m, "country", "country");
      if (country != null && !country.matches("[A-Z]{2}")) {
        yaml.problem(m.get("country"), "country must be an ISO 3166 alpha-2 code such as IN or DE");
        country = null;
      }
      Safeguard safeguard = controllerReading.safeguard(m, id, country, regime);
      out.add(new Recipient(id, yaml.optionalText(m, "name", "name"), role, country, safeguard));
    }
    return out;
  }

  Period period(Node node, String what) {
    Period period = yaml.parsed(node, Period::parse, what + " is not a duration: " + PERIOD_HINT);
    if (period != null && (period.isNegative() || period.isZero())) {
      yaml.problem(node, what + " must be longer than zero: " + PERIOD_HINT);
      return null;
    }
    return period;
  }

  String idOf(Map<String, Node> m, String kind) {
    if (m == null || !m.containsKey("id")) {
      return null;
    }
    String id = yaml.text(m.get("id"), "a " + kind + " id");
    if (id == null) {
      return null;
    }
    if (!ID.matcher(id).matches()) {
      yaml.problem(
          m.get("id"), kind + " id '" + id + "' must be lower-case letters, digits, '_' or '-'");
      return null;
    }
    return unique(kind, id, m.get("id")) ? id : null;
  }

  boolean unique(String kind, String id, Node node) {
    Integer first = firstLine.putIfAbsent(kind + ":" + id, Yaml.line(node));
    if (first != null) {
      yaml.problem(
          node, "duplicate " + kind + " id '" + id + "' (first defined at line " + first + ")");
      return false;
    }
    return true;
  }

  static <T> Set<String> ids(List<T> items, java.util.function.Function<T, String> id) {
    return items.stream().map(id).collect(Collectors.toSet());
  }

  static String parent(String id) {
    int dot = id.lastIndexOf('.');
    return dot < 0 ? null : id.substring(0, dot);
  }

  static String suggestion(String wrong, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = distance(wrong, candidate);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best != null && bestDistance <= Math.max(2, wrong.length() / 4)
        ? " (did you mean '" + best + "'?)"
        : "";
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  static Set<String> ordered(String... keys) {
    return new LinkedHashSet<>(Arrays.asList(keys));
  }
}
