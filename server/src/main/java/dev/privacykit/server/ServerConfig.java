package dev.privacykit.server;

import dev.privacykit.storage.Database;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the standalone service runs, read from a YAML file, the environment and flags (each winning
 * over the one before). Immutable.
 *
 * @param values every {@link Setting}'s value, defaults filled in
 */
public record ServerConfig(Map<Setting, String> values) {

  /** Copies and checks the values. */
  public ServerConfig {
    EnumMap<Setting, String> copy = new EnumMap<>(Setting.class);
    for (Setting setting : Setting.values()) {
      String value = values.get(setting);
      copy.put(setting, value == null ? setting.defaultValue : value.strip());
    }
    values = java.util.Collections.unmodifiableMap(copy);
    int port = integer(values, Setting.PORT);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(Setting.PORT.label() + " must be 0 to 65535, was " + port);
    }
    managementPort(values);
    if (values.get(Setting.HOST).isBlank()) {
      throw new IllegalArgumentException(Setting.HOST.label() + " must not be blank");
    }
    String mode = values.get(Setting.MODE);
    if (!mode.equals("development") && !mode.equals("production")) {
      throw new IllegalArgumentException(
          Setting.MODE.label() + " must be development or production, was " + mode);
    }
    String schema = values.get(Setting.DATABASE_SCHEMA);
    if (!schema.isEmpty() && !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException(
          Setting.DATABASE_SCHEMA.label()
              + " must be 1 to 63 lower-case letters, digits or '_', starting with a letter or '_'");
    }
    if (split(values.get(Setting.AUDIENCE)).isEmpty()) {
      throw new IllegalArgumentException(Setting.AUDIENCE.label() + " must name an audience");
    }
    trustedIssuers(values);
    requireModeFits(values);
    scopeRateLimits(values);
    LogFormat.of(values.get(Setting.LOG_FORMAT));
    usageBudget(values);
    AuditSettings.of(values);
    for (Setting number :
        List.of(
            Setting.AUDIT_RETENTION_DAYS,
            Setting.AUDIT_VERIFY_EVERY_MINUTES,
            Setting.RATE_PER_IP,
            Setting.RATE_PER_PRINCIPAL)) {
      if (integer(values, number) < 0) {
        throw new IllegalArgumentException(number.label() + " must be 0 or more");
      }
    }
  }

  /**
   * Development mode trusts a local issuer and a key whose passphrase sits beside it, so it serves
   * only this machine and refuses real issuers and keys: those need {@code mode: production}.
   */
  private static void requireModeFits(Map<Setting, String> values) {
    if ("production".equals(values.get(Setting.MODE))) {
      return;
    }
    for (Setting real :
        List.of(
            Setting.ISSUER,
            Setting.JWKS_URL,
            Setting.JWKS_FILE,
            Setting.ISSUER_TENANTS,
            Setting.KEY_SOURCE)) {
      if (!values.get(real).isBlank()) {
        throw new IllegalArgumentException(
            real.label()
                + " is set but "
                + Setting.MODE.label()
                + " is development; set mode: production to trust real issuers and keys");
      }
    }
    String host = values.get(Setting.HOST);
    if (!List.of("127.0.0.1", "::1", "[::1]", "localhost").contains(host)
        && !host.startsWith("127.")) {
      throw new IllegalArgumentException(
          Setting.HOST.label()
              + " must be a loopback address in development mode (its tokens and keys are for"
              + " this machine only); set mode: production to serve other hosts");
    }
  }

  /** A development configuration with these basics (tests and simple embedding). */
  public ServerConfig(String host, int port, Path dataDirectory, String databaseUrl) {
    this(
        Map.of(
            Setting.HOST,
            host,
            Setting.PORT,
            Integer.toString(port),
            Setting.DATA_DIR,
            dataDirectory.toString(),
            Setting.DATABASE_URL,
            databaseUrl == null ? "" : databaseUrl));
  }

  /**
   * Reads the configuration: defaults, then the YAML file (when not null), then the environment,
   * then {@code overrides} (command-line flags).
   *
   * @throws IllegalArgumentException naming the setting when a value is bad or the file unreadable
   */
  public static ServerConfig load(
      Path file, Map<String, String> environment, Map<Setting, String> overrides) {
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    if (file != null) {
      values.putAll(ConfigFile.read(file));
    }
    for (Setting setting : Setting.values()) {
      String value = environment.get(setting.env);
      if (value != null) {
        values.put(setting, value);
      }
    }
    overrides.forEach(
        (setting, value) -> {
          if (value != null) {
            values.put(setting, value);
          }
        });
    return new ServerConfig(values);
  }

  private static int integer(Map<Setting, String> values, Setting setting) {
    try {
      return Integer.parseInt(values.get(setting));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(setting.label() + " must be an integer");
    }
  }

  private static int managementPort(Map<Setting, String> values) {
    if (values.get(Setting.MANAGEMENT_PORT).isEmpty()) {
      return -1;
    }
    int port = integer(values, Setting.MANAGEMENT_PORT);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          Setting.MANAGEMENT_PORT.label() + " must be empty or 0 to 65535, was " + port);
    }
    return port;
  }

  /** The loopback management port for metrics: -1 for none, 0 for a free one. */
  public int managementPort() {
    return managementPort(values);
  }

  private static long usageBudget(Map<Setting, String> values) {
    long budget;
    try {
      budget = Long.parseLong(values.get(Setting.KEY_USAGE_BUDGET));
    } catch (NumberFormatException e) {
      budget = 0;
    }
    if (budget < 1 || budget > (1L << 31)) {
      throw new IllegalArgumentException(
          Setting.KEY_USAGE_BUDGET.label() + " must be an integer from 1 to 2147483648");
    }
    return budget;
  }

  /** Encryptions each tenant may make under one keyring key. */
  public long usageBudget() {
    return usageBudget(values);
  }

  /** The audit log's pinned key, witnesses and quorum. */
  public AuditSettings audit() {
    return AuditSettings.of(values);
  }

  /** A setting's value ("" when unset). */
  public String get(Setting setting) {
    return values.get(setting);
  }

  /** A comma-separated setting as a list. */
  public List<String> list(Setting setting) {
    return split(get(setting));
  }

  private static List<String> split(String value) {
    return value.isBlank()
        ? List.of()
        : Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * A configured token issuer and where its keys are: a JWKS URL or a local JWKS file.
   *
   * @param issuer the exact {@code iss}
   * @param jwksUrl its JWKS URL, or null
   * @param jwksFile its JWKS file, or null
   */
  public record TrustedIssuer(
      String issuer, URI jwksUrl, Path jwksFile, java.util.Set<String> tenants) {}

  /** The configured issuers with their keys, in order (empty when none is set). */
  public List<TrustedIssuer> trustedIssuers() {
    return trustedIssuers(values);
  }

  private static List<TrustedIssuer> trustedIssuers(Map<Setting, String> values) {
    List<String> issuers = split(values.get(Setting.ISSUER));
    List<String> urls = split(values.get(Setting.JWKS_URL));
    List<String> files = split(values.get(Setting.JWKS_FILE));
    if (issuers.isEmpty()) {
      return List.of();
    }
    if (issuers.size() != new java.util.HashSet<>(issuers).size()) {
      throw new IllegalArgumentException(Setting.ISSUER.label() + " names an issuer twice");
    }
    if (!urls.isEmpty() && !files.isEmpty()) {
      throw new IllegalArgumentException(
          "give the issuers' keys in "
              + Setting.JWKS_URL.label()
              + " or in "
              + Setting.JWKS_FILE.label()
              + ", not both");
    }
    List<String> keys = urls.isEmpty() ? files : urls;
    if (!keys.isEmpty() && keys.size() != issuers.size()) {
      throw new IllegalArgumentException(
          (urls.isEmpty() ? Setting.JWKS_FILE : Setting.JWKS_URL).label()
              + " lists "
              + keys.size()
              + " key sources for "
              + issuers.size()
              + " issuers in "
              + Setting.ISSUER.label()
              + "; give one per issuer, in the same order");
    }
    List<URI> urlsChecked = new java.util.ArrayList<>();
    for (int i = 0; i < issuers.size(); i++) {
      urlsChecked.add(
          urls.isEmpty()
              ? null
              : jwksUrl(urls.get(i), "production".equals(values.get(Setting.MODE))));
    }
    List<java.util.Set<String>> tenants = issuerTenants(values, issuers.size());
    List<TrustedIssuer> out = new java.util.ArrayList<>();
    for (int i = 0; i < issuers.size(); i++) {
      Path file = files.isEmpty() ? null : Path.of(files.get(i));
      out.add(new TrustedIssuer(issuers.get(i), urlsChecked.get(i), file, tenants.get(i)));
    }
    return List.copyOf(out);
  }

  /**
   * The tenants each issuer may assert, one group per issuer in order ({@code *}: any tenant, as a
   * null set). Required in production, so that a token of one issuer cannot claim another issuer's
   * tenants.
   */
  private static List<java.util.Set<String>> issuerTenants(
      Map<Setting, String> values, int issuers) {
    String text = values.get(Setting.ISSUER_TENANTS);
    List<java.util.Set<String>> out = new java.util.ArrayList<>();
    if (text.isBlank()) {
      if ("production".equals(values.get(Setting.MODE))) {
        throw new IllegalArgumentException(
            Setting.ISSUER_TENANTS.label()
                + " is required in production: name the tenants each issuer may assert (or *)");
      }
      for (int i = 0; i < issuers; i++) {
        out.add(null);
      }
      return out;
    }
    String[] groups = text.split(";", -1);
    if (groups.length != issuers) {
      throw new IllegalArgumentException(
          Setting.ISSUER_TENANTS.label()
              + " has "
              + groups.length
              + " groups for "
              + issuers
              + " issuers; give one per issuer, in the same order, separated by ';'");
    }
    for (String group : groups) {
      List<String> tenants = split(group);
      if (tenants.isEmpty()) {
        throw new IllegalArgumentException(
            Setting.ISSUER_TENANTS.label() + " has an empty group; use * for any tenant");
      }
      out.add(tenants.equals(List.of("*")) ? null : java.util.Set.copyOf(tenants));
    }
    return out;
  }

  /**
   * A JWKS URL: https, or plain http to this host (or anywhere in development mode), since keys
   * fetched in clear could be swapped on the way.
   */
  private static URI jwksUrl(String value, boolean production) {
    URI url;
    try {
      url = new URI(value);
    } catch (java.net.URISyntaxException e) {
      url = null;
    }
    if (url == null
        || url.getHost() == null
        || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
      throw new IllegalArgumentException(
          Setting.JWKS_URL.label() + " holds something that is not an http(s) URL");
    }
    boolean loopback = List.of("127.0.0.1", "localhost", "[::1]").contains(url.getHost());
    if (production && "http".equals(url.getScheme()) && !loopback) {
      throw new IllegalArgumentException(
          Setting.JWKS_URL.label()
              + " must use https in production mode (keys in clear can be swapped)");
    }
    return url;
  }

  /** The per-scope rate limits: {@code scope=limit} pairs. */
  public Map<String, Integer> scopeRateLimits() {
    return scopeRateLimits(values);
  }

  private static Map<String, Integer> scopeRateLimits(Map<Setting, String> values) {
    Map<String, Integer> out = new java.util.LinkedHashMap<>();
    for (String pair : split(values.get(Setting.RATE_PER_SCOPE))) {
      int eq = pair.indexOf('=');
      int limit = -1;
      try {
        limit = eq <= 0 ? -1 : Integer.parseInt(pair.substring(eq + 1).strip());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 0) {
        throw new IllegalArgumentException(
            Setting.RATE_PER_SCOPE.label() + " must be scope=limit pairs with limits of 0 or more");
      }
      out.put(pair.substring(0, eq).strip(), limit);
    }
    return out;
  }

  public int integer(Setting setting) {
    return integer(values, setting);
  }

  /** Whether the service runs in production mode (no development conveniences). */
  public boolean production() {
    return get(Setting.MODE).toLowerCase(Locale.ROOT).equals("production");
  }

  /** The address to bind. */
  public String host() {
    return get(Setting.HOST);
  }

  /** The TCP port. */
  public int port() {
    return integer(Setting.PORT);
  }

  /** Where the embedded database and development keys live. */
  public Path dataDirectory() {
    return Path.of(get(Setting.DATA_DIR)).toAbsolutePath().normalize();
  }

  /** The JDBC URL, or null for the embedded database. */
  public String databaseUrl() {
    String url = get(Setting.DATABASE_URL);
    return url.isBlank() ? null : url;
  }

  /** Whether the data lives in the embedded database rather than an external one. */
  public boolean embedded() {
    return databaseUrl() == null;
  }

  /** Opens the configured database (not yet migrated). */
  public Database openDatabase() {
    if (embedded()) {
      return Database.embedded(dataDirectory());
    }
    String schema = get(Setting.DATABASE_SCHEMA);
    return schema.isEmpty()
        ? Database.open(databaseUrl())
        : Database.open(databaseUrl(), c -> c.schema(schema));
  }
}
