package dev.privacykit.server;

import dev.privacykit.consent.DsrConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where each tenant's host backend is asked for a subject's data (the {@code requests.host_data_*}
 * settings), checked when the service opens: https URLs (plain http only to a loopback address, and
 * only with {@code requests.insecure_host_data_http}), no user info, a secret of at least 32
 * characters, a bounded timeout and answer size. Set by the operator, never by a request.
 *
 * @param urls the host backend's URL by tenant
 * @param secret the signing key
 * @param timeout how long the whole answer may take
 * @param maxBytes the largest answer taken
 */
public record HostDataSettings(
    Map<String, URI> urls, String secret, Duration timeout, int maxBytes) {

  /** Copies the map. */
  public HostDataSettings {
    urls = Map.copyOf(urls);
  }

  /**
   * The settings of {@code config}.
   *
   * @throws IllegalArgumentException naming the setting when one is unusable
   */
  public static HostDataSettings of(ServerConfig config) {
    boolean insecure = bool(config, Setting.INSECURE_HOST_DATA_HTTP);
    Map<String, URI> urls = new LinkedHashMap<>();
    for (String pair : config.list(Setting.HOST_DATA_URLS)) {
      int eq = pair.indexOf('=');
      String tenant = eq < 0 ? "" : pair.substring(0, eq).strip();
      if (tenant.isEmpty() || eq == pair.length() - 1) {
        throw new IllegalArgumentException(
            Setting.HOST_DATA_URLS.label() + " must be tenant=URL pairs, comma-separated");
      }
      if (urls.put(tenant, url(pair.substring(eq + 1).strip(), insecure)) != null) {
        throw new IllegalArgumentException(
            Setting.HOST_DATA_URLS.label() + " names tenant '" + tenant + "' twice");
      }
    }
    String secret = config.get(Setting.HOST_DATA_SECRET);
    if (!urls.isEmpty() && secret.length() < 32) {
      throw new IllegalArgumentException(
          Setting.HOST_DATA_SECRET.label()
              + " must be at least 32 characters when "
              + Setting.HOST_DATA_URLS.label()
              + " is set");
    }
    int timeout = number(config, Setting.HOST_DATA_TIMEOUT_MS, 100, 60_000);
    int maxBytes = number(config, Setting.HOST_DATA_MAX_BYTES, 1024, 64 * 1024 * 1024);
    return new HostDataSettings(urls, secret, Duration.ofMillis(timeout), maxBytes);
  }

  /**
   * Registers the contributors the service uses with {@code requests}: those {@link
   * java.util.ServiceLoader} finds, and the host backends' URLs when any is set.
   */
  public static DsrConfig configure(DsrConfig requests, ServerConfig config) {
    HostDataSettings settings = of(config);
    requests.discoverContributors(HostDataSettings.class.getClassLoader());
    if (!settings.urls().isEmpty()) {
      requests.contributor(new HostDataContributor(settings));
    }
    return requests;
  }

  private static URI url(String text, boolean insecure) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(Setting.HOST_DATA_URLS.label() + " has a malformed URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || uri.getUserInfo() != null || uri.getFragment() != null) {
      throw new IllegalArgumentException(
          Setting.HOST_DATA_URLS.label() + " URLs need a host, and no user info or fragment");
    }
    boolean loopback =
        uri.getHost().equals("localhost")
            || uri.getHost().startsWith("127.")
            || uri.getHost().equals("[::1]");
    if (scheme.equals("https") || (scheme.equals("http") && insecure && loopback)) {
      return uri;
    }
    throw new IllegalArgumentException(
        Setting.HOST_DATA_URLS.label()
            + " URLs must be https (plain http only to a loopback address, with "
            + Setting.INSECURE_HOST_DATA_HTTP.label()
            + ")");
  }

  private static boolean bool(ServerConfig config, Setting setting) {
    String value = config.get(setting);
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException(setting.label() + " must be true or false");
    }
    return Boolean.parseBoolean(value);
  }

  private static int number(ServerConfig config, Setting setting, int min, int max) {
    try {
      int value = Integer.parseInt(config.get(setting));
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(setting.label() + " must be " + min + " to " + max);
  }
}
