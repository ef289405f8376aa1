package dev.privacykit.policies;

import dev.privacykit.policies.internal.Yaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Loads a policy file (YAML) into a {@link PolicySet}, checking the whole file and reporting every
 * problem with its file, line and column. See {@code policies/README.md} for the format.
 *
 * <pre>{@code
 * PolicySet policy = PolicyLoader.load(Path.of("policy.yaml"));
 * }</pre>
 */
public final class PolicyLoader {
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_-]*");
  private static final Pattern CATEGORY_ID =
      Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");
  private static final Set<String> SPECIAL =
      Set.of(
          "racial_or_ethnic_origin",
          "political_opinions",
          "religious_or_philosophical_beliefs",
          "trade_union_membership",
          "genetic",
          "biometric",
          "health",
          "sex_life_or_orientation",
          "criminal_records",
          "children");
  private static final Set<String> ROLES =
      Set.of("processor", "controller", "joint_controller", "public_authority");
  private static final String PERIOD_HINT = "write ISO 8601 such as P30D, P6M or P2Y";

  private PolicyLoader() {}

  /**
   * Loads and checks a policy file.
   *
   * @throws PolicyLoadException listing every problem, each with file, line and column
   * @throws IOException if the file cannot be read
   */
  public static PolicySet load(Path file) throws IOException {
    return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * Checks and loads policy text; {@code name} names it in problems.
   *
   * @throws PolicyLoadException listing every problem
   */
  public static PolicySet parse(String name, String text) {
    return new Reading(name).read(text);
  }

  /** One pass over one file. */
  private static final class Reading {
    private final String file;
    private final Yaml yaml;
    private final Map<String, Integer> firstLine = new HashMap<>();

    Reading(String file) {
      this.file = file;
      this.yaml = new Yaml(file);
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
              ordered("categories", "recipients", "notices", "purposes", "retention"));
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
      List<Recipient> recipients = recipients(top.get("recipients"));
      List<Notice> notices = notices(top.get("notices"));
      List<Purpose> purposes =
          purposes(
              top.get("purposes"),
              regime,
              byId,
              ids(recipients, Recipient::id),
              ids(notices, Notice::id));
      List<RetentionRule> retention =
          retention(top.get("retention"), ids(purposes, Purpose::id), byId.keySet());
      if (!yaml.problems().isEmpty()) {
        List<PolicyProblem> sorted = new ArrayList<>(yaml.problems());
        sorted.sort(
            java.util.Comparator.comparingInt(PolicyProblem::line)
                .thenComparingInt(PolicyProblem::column));
        throw new PolicyLoadException(sorted);
      }
      return new PolicySet(name, regime, categories, purposes, notices, recipients, retention);
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
        if (special != null && !SPECIAL.contains(special)) {
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
              "category '"
                  + id
                  + "' needs its parent '"
                  + id.substring(0, dot)
                  + "' to be declared");
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

    private List<Recipient> recipients(Node node) {
      List<Recipient> out = new ArrayList<>();
      if (node == null) {
        return out;
      }
      for (Node item : yaml.sequence(node, "recipients")) {
        Map<String, Node> m =
            yaml.mapping(item, "a recipient", ordered("id", "name", "role"), ordered("country"));
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
          yaml.problem(
              m.get("country"), "country must be an ISO 3166 alpha-2 code such as IN or DE");
        }
        out.add(new Recipient(id, yaml.optionalText(m, "name", "name"), role, country));
      }
      return out;
    }

    private List<Notice> notices(Node node) {
      List<Notice> out = new ArrayList<>();
      if (node == null) {
        return out;
      }
      for (Node item : yaml.sequence(node, "notices")) {
        Map<String, Node> m = yaml.mapping(item, "a notice", ordered("id", "versions"), ordered());
        String id = idOf(m, "notice");
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
                  ordered("version", "published", "languages"),
                  ordered("material"));
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
          LocalDate published =
              vm.containsKey("published")
                  ? yaml.parsed(
                      vm.get("published"),
                      LocalDate::parse,
                      "published must be a date such as 2026-01-31")
                  : null;
          List<String> languages = yaml.texts(vm, "languages", "languages");
          if (vm.containsKey("languages") && languages.isEmpty()) {
            yaml.problem(
                vm.get("languages"),
                "notice '" + id + "' version " + number + " needs at least one language");
          }
          versions.add(
              new NoticeVersion(
                  number, published, languages, yaml.bool(vm, "material", "material", false)));
        }
        if (versions.isEmpty()) {
          yaml.problem(m.get("versions"), "notice '" + id + "' needs at least one version");
          continue;
        }
        out.add(new Notice(id, versions));
      }
      return out;
    }

    private List<Purpose> purposes(
        Node node,
        Regime regime,
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
                ordered("id", "title", "basis", "categories"),
                ordered(
                    "description",
                    "art9_condition",
                    "notice",
                    "consent_validity",
                    "gpc",
                    "explicit_opt_in_overrides_gpc",
                    "recipients",
                    "actors"));
        String id = idOf(m, "purpose");
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
            yaml.problem(
                m.get("categories"), "purpose '" + id + "' must name at least one category");
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
                      + suggestion(category, categories.keySet()));
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
              m.get("notice"), "unknown notice '" + notice + "'" + suggestion(notice, notices));
        }
        if (needsConsent && notice == null && basis != null) {
          yaml.problem(
              m.get("basis"),
              "purpose '" + id + "' relies on consent but names no notice to ask it under");
        }
        Period validity = null;
        if (m.containsKey("consent_validity")) {
          validity = period(m.get("consent_validity"), "consent_validity");
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
                      + suggestion(purposeRecipients.get(i), recipients));
            }
          }
        }
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
                new LinkedHashSet<>(yaml.texts(m, "actors", "actors"))));
      }
      return out;
    }

    private List<RetentionRule> retention(Node node, Set<String> purposes, Set<String> categories) {
      List<RetentionRule> out = new ArrayList<>();
      if (node == null) {
        return out;
      }
      for (Node item : yaml.sequence(node, "retention")) {
        Map<String, Node> m =
            yaml.mapping(
                item,
                "a retention rule",
                ordered("period", "then"),
                ordered("purpose", "category"));
        if (m == null) {
          continue;
        }
        String purpose = yaml.optionalText(m, "purpose", "purpose");
        String category = yaml.optionalText(m, "category", "category");
        if ((purpose == null) == (category == null)) {
          yaml.problem(item, "a retention rule names exactly one of 'purpose' and 'category'");
        }
        if (purpose != null && !purposes.contains(purpose)) {
          yaml.problem(
              m.get("purpose"),
              "unknown purpose '" + purpose + "'" + suggestion(purpose, purposes));
        }
        if (category != null && !categories.contains(category)) {
          yaml.problem(
              m.get("category"),
              "unknown category '" + category + "'" + suggestion(category, categories));
        }
        Period period =
            m.containsKey("period") ? period(m.get("period"), "retention period") : null;
        RetentionRule.Action action = null;
        if (m.containsKey("then")) {
          action =
              yaml.parsed(
                  m.get("then"),
                  s -> RetentionRule.Action.valueOf(s.toUpperCase(Locale.ROOT)),
                  "then must be delete or anonymise");
        }
        if (period != null && action != null) {
          out.add(new RetentionRule(purpose, category, period, action));
        }
      }
      return out;
    }

    private Period period(Node node, String what) {
      Period period = yaml.parsed(node, Period::parse, what + " is not a duration: " + PERIOD_HINT);
      if (period != null && (period.isNegative() || period.isZero())) {
        yaml.problem(node, what + " must be longer than zero: " + PERIOD_HINT);
        return null;
      }
      return period;
    }

    private String idOf(Map<String, Node> m, String kind) {
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

    private boolean unique(String kind, String id, Node node) {
      Integer first = firstLine.putIfAbsent(kind + ":" + id, Yaml.line(node));
      if (first != null) {
        yaml.problem(
            node, "duplicate " + kind + " id '" + id + "' (first defined at line " + first + ")");
        return false;
      }
      return true;
    }

    private static <T> Set<String> ids(List<T> items, java.util.function.Function<T, String> id) {
      return items.stream().map(id).collect(Collectors.toSet());
    }

    private static String parent(String id) {
      int dot = id.lastIndexOf('.');
      return dot < 0 ? null : id.substring(0, dot);
    }

    private static String suggestion(String wrong, Set<String> known) {
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

    private static Set<String> ordered(String... keys) {
      return new LinkedHashSet<>(Arrays.asList(keys));
    }
  }
}
