package dev.privacykit.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.privacykit.policies.CachingConsentLookup;
import dev.privacykit.policies.ConsentAnswer;
import dev.privacykit.policies.ConsentLookup;
import dev.privacykit.policies.ConsentState;
import dev.privacykit.policies.Guardianship;
import dev.privacykit.policies.ProcessingHold;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link ConsentLookup} that asks the standalone PrivacyKit service over HTTP: {@code GET
 * {base}/v1/subjects/{subject}/consents/{purpose}} with a bearer token for the tenant, answered
 * with {@code {"state", "notice_version", "changed_at", "expires_at", "explicit", "gpc_opt_out_at",
 * "hold", "guardianship"}} (404: no record, no hold, and not a ward). Answers are cached briefly; a
 * slow, failing or unreachable service makes the lookup throw, so the decision engine denies (fail
 * closed).
 *
 * <p>Thread-safe.
 */
public final class RemoteConsentLookup implements ConsentLookup {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final Function<String, String> tokenForTenant;
  private final Duration timeout;
  private final HttpClient http;
  private final CachingConsentLookup cache;

  private RemoteConsentLookup(
      URI base, Function<String, String> tokenForTenant, Duration timeout, Duration cacheTtl) {
    this.base = base;
    this.tokenForTenant = tokenForTenant;
    this.timeout = timeout;
    this.cache = new CachingConsentLookup(this::fetch, cacheTtl, 100_000);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * A lookup against the service at {@code base}, authenticating with {@code tokenForTenant}.
   *
   * @param timeout how long one call may take (10 ms to 10 s) before it counts as a failure
   * @param cacheTtl how long an answer is reused (0 to 60 s): withdrawals reach this process at
   *     most this late
   */
  public static RemoteConsentLookup create(
      URI base, Function<String, String> tokenForTenant, Duration timeout, Duration cacheTtl) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(tokenForTenant, "tokenForTenant");
    if (timeout.compareTo(Duration.ofMillis(10)) < 0
        || timeout.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException("timeout must be 10 ms to 10 s, was " + timeout);
    }
    if (cacheTtl.isNegative() || cacheTtl.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new IllegalArgumentException("cacheTtl must be 0 to 60 s, was " + cacheTtl);
    }
    return new RemoteConsentLookup(base, tokenForTenant, timeout, cacheTtl);
  }

  @Override
  public ConsentAnswer lookup(String tenant, String subject, String purpose) {
    return cache.lookup(tenant, subject, purpose);
  }

  private ConsentAnswer fetch(String tenant, String subject, String purpose) {
    URI uri = base.resolve("/v1/subjects/" + encode(subject) + "/consents/" + encode(purpose));
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", "application/json")
            .header("Authorization", "Bearer " + tokenForTenant.apply(tenant))
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new ConsentLookupException("the consent service did not answer in time", null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConsentLookupException("interrupted while asking the consent service", null);
    }
    if (response.statusCode() == 404) {
      return ConsentAnswer.none();
    }
    if (response.statusCode() != 200) {
      throw new ConsentLookupException(
          "the consent service answered HTTP " + response.statusCode(), null);
    }
    try {
      JsonNode body = JSON.readTree(response.body());
      return new ConsentAnswer(
          ConsentState.valueOf(body.path("state").asText()),
          body.path("notice_version").asInt(0),
          instant(body.get("changed_at")),
          instant(body.get("expires_at")),
          body.path("explicit").asBoolean(false),
          instant(body.get("gpc_opt_out_at")),
          hold(body.get("hold")),
          guardianship(body.get("guardianship")));
    } catch (java.io.IOException
        | IllegalArgumentException
        | java.time.format.DateTimeParseException e) {
      throw new ConsentLookupException(
          "the consent service answered something that is not a consent", null);
    }
  }

  /** A restriction or objection the service reports; an unknown kind fails the lookup. */
  private static ProcessingHold hold(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    return new ProcessingHold(
        ProcessingHold.Kind.valueOf(node.path("kind").asText().toUpperCase(java.util.Locale.ROOT)),
        Instant.parse(node.path("since").asText()),
        instant(node.get("lifts_at")));
  }

  /**
   * That the subject is a child or a person with a lawful guardian; an unknown kind fails the
   * lookup, so a newer service's answer is never read as "no guardianship".
   */
  private static Guardianship guardianship(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    JsonNode byGuardian = node.get("consent_by_guardian");
    if (byGuardian == null || !byGuardian.isBoolean()) {
      throw new IllegalArgumentException("consent_by_guardian must be a boolean");
    }
    return new Guardianship(
        Guardianship.Kind.valueOf(node.path("kind").asText().toUpperCase(java.util.Locale.ROOT)),
        byGuardian.booleanValue());
  }

  private static Instant instant(JsonNode node) {
    return node == null || node.isNull() ? null : Instant.parse(node.asText());
  }

  private static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
