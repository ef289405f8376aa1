package dev.privacykit.policies;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A loaded, checked policy: what personal data is processed, for which purposes, on which basis,
 * for how long, under which notice, shared with whom. Made by {@link PolicyLoader}; immutable and
 * thread-safe.
 */
public final class PolicySet {
  private final String name;
  private final Regime regime;
  private final Map<String, DataCategory> categories;
  private final Map<String, Purpose> purposes;
  private final Map<String, Notice> notices;
  private final Map<String, Recipient> recipients;
  private final List<RetentionRule> retention;
  private final Controller controller;
  private final List<String> securityMeasures;
  private final ChildRules children;
  private final List<ConsentManagerEntry> consentManagers;

  PolicySet(
      String name,
      Regime regime,
      List<DataCategory> categories,
      List<Purpose> purposes,
      List<Notice> notices,
      List<Recipient> recipients,
      List<RetentionRule> retention) {
    this(name, regime, categories, purposes, notices, recipients, retention, null, List.of(), null);
  }

  PolicySet(
      String name,
      Regime regime,
      List<DataCategory> categories,
      List<Purpose> purposes,
      List<Notice> notices,
      List<Recipient> recipients,
      List<RetentionRule> retention,
      Controller controller,
      List<String> securityMeasures,
      ChildRules children) {
    this.children = children == null ? ChildRules.defaults(regime) : children;
    this.controller = controller;
    this.securityMeasures = List.copyOf(securityMeasures);
    this.name = name;
    this.regime = regime;
    this.categories = index(categories, DataCategory::id);
    this.purposes = index(purposes, Purpose::id);
    this.notices = index(notices, Notice::id);
    this.recipients = index(recipients, Recipient::id);
    this.retention = List.copyOf(retention);
    this.consentManagers = List.of();
  }

  private static <T> Map<String, T> index(List<T> items, Function<T, String> id) {
    return items.stream()
        .collect(
            Collectors.toMap(id, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
  }

  /** The policy's name (its {@code name:} entry). */
  public String name() {
    return name;
  }

  /** The law it is written for. */
  public Regime regime() {
    return regime;
  }

  /** The data categories by id, in file order. */
  public Map<String, DataCategory> categories() {
    return java.util.Collections.unmodifiableMap(categories);
  }

  /** The purposes by id, in file order. */
  public Map<String, Purpose> purposes() {
    return java.util.Collections.unmodifiableMap(purposes);
  }

  /** The notices by id. */
  public Map<String, Notice> notices() {
    return java.util.Collections.unmodifiableMap(notices);
  }

  /** The recipients by id. */
  public Map<String, Recipient> recipients() {
    return java.util.Collections.unmodifiableMap(recipients);
  }

  /** The retention rules, in file order. */
  public List<RetentionRule> retention() {
    return retention;
  }

  /** The rules for children's data: the age of a child and the fiduciary's exempt class. */
  public ChildRules children() {
    return children;
  }

  /** The controller (Data Fiduciary) the policy names, if it names one. */
  public Optional<Controller> controller() {
    return Optional.ofNullable(controller);
  }

  /**
   * The technical and organisational security measures the policy states beyond those PrivacyKit
   * enforces itself, in file order (its {@code security_measures:} lines).
   */
  public List<String> securityMeasures() {
    return securityMeasures;
  }

  /**
   * Whether disclosing to {@code recipient} is a transfer to a third country: its country is
   * outside the regime's home region (the EEA for the GDPR, India for the DPDP Act). False when the
   * recipient's country is not stated.
   */
  public boolean isThirdCountryTransfer(Recipient recipient) {
    return HomeRegion.isThirdCountry(regime, recipient.country());
  }

  /** This policy with the Consent Managers its file registers. */
  PolicySet withConsentManagers(List<ConsentManagerEntry> managers) {
    return new PolicySet(this, managers);
  }

  private PolicySet(PolicySet policy, List<ConsentManagerEntry> managers) {
    this.name = policy.name;
    this.regime = policy.regime;
    this.categories = policy.categories;
    this.purposes = policy.purposes;
    this.notices = policy.notices;
    this.recipients = policy.recipients;
    this.retention = policy.retention;
    this.controller = policy.controller;
    this.securityMeasures = policy.securityMeasures;
    this.children = policy.children;
    this.consentManagers = List.copyOf(managers);
  }

  /**
   * The Consent Managers the policy registers (DPDP Act s.6(9), Rules 2025 rule 4), in file order;
   * empty for a GDPR policy.
   */
  public List<ConsentManagerEntry> consentManagers() {
    return consentManagers;
  }

  /** The purpose with this id. */
  public Optional<Purpose> purpose(String id) {
    return Optional.ofNullable(purposes.get(id));
  }

  /** The category with this id. */
  public Optional<DataCategory> category(String id) {
    return Optional.ofNullable(categories.get(id));
  }

  /** The notice with this id. */
  public Optional<Notice> notice(String id) {
    return Optional.ofNullable(notices.get(id));
  }

  /** Whether a purpose may use a category: one of its categories is that category or above it. */
  public boolean purposeCovers(Purpose purpose, String category) {
    return purpose.categories().stream()
        .map(categories::get)
        .anyMatch(c -> c != null && c.covers(category));
  }

  private java.util.stream.Stream<RetentionRule> collected() {
    return retention.stream().filter(r -> r.when() == RetentionRule.Trigger.COLLECTED);
  }

  /** The rules whose period starts with {@code trigger}, in file order. */
  public List<RetentionRule> retention(RetentionRule.Trigger trigger) {
    return retention.stream().filter(r -> r.when() == trigger).toList();
  }

  /**
   * The retention rule that applies to data of {@code category} processed for {@code purpose}: a
   * rule for the purpose wins, then the rule for the nearest category above.
   */
  public Optional<RetentionRule> retentionFor(String purpose, String category) {
    Optional<RetentionRule> forPurpose =
        collected().filter(r -> purpose != null && purpose.equals(r.purpose())).findFirst();
    if (forPurpose.isPresent()) {
      return forPurpose;
    }
    return collected()
        .filter(r -> r.category() != null && category != null)
        .filter(r -> category.equals(r.category()) || category.startsWith(r.category() + "."))
        .max(java.util.Comparator.comparingInt(r -> r.category().length()));
  }
}
