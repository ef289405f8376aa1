package dev.privacykit.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.javalin.testing.TestIssuer;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several token issuers and audiences from the configuration: each issuer is trusted with its own
 * keys only, and a configuration that pairs them wrongly does not start.
 */
class IssuersTest {
  @RegisterExtension static TestIssuer workforce = new TestIssuer("privacykit");
  @RegisterExtension static TestIssuer customers = new TestIssuer("consent-api");
  @RegisterExtension static TestIssuer stranger = new TestIssuer("privacykit");

  @TempDir Path dir;

  private static final String PASSPHRASE = "issuers-test passphrase";

  /** A production configuration: real issuers need it, and with them a real root key. */
  private ServerConfig config(String issuers, String jwksUrls, String audiences) {
    return config(issuers, jwksUrls, audiences, "*;*");
  }

  private ServerConfig config(
      String issuers, String jwksUrls, String audiences, String issuerTenants) {
    Path key = dir.resolve("root.key");
    try {
      if (!java.nio.file.Files.exists(key)) {
        dev.privacykit.crypto.RootKeys.createKeyFile(key, PASSPHRASE.toCharArray());
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Map<String, String> environment = new java.util.HashMap<>();
    environment.put("PRIVACYKIT_MODE", "production");
    environment.put("PRIVACYKIT_PORT", "0");
    environment.put("PRIVACYKIT_DATA_DIR", dir.toString());
    environment.put("PRIVACYKIT_ISSUER", issuers);
    environment.put("PRIVACYKIT_JWKS_URL", jwksUrls);
    environment.put("PRIVACYKIT_AUDIENCE", audiences);
    environment.put("PRIVACYKIT_ISSUER_TENANTS", issuerTenants);
    environment.put("PRIVACYKIT_KEY_SOURCE", "file:" + key);
    environment.put("PRIVACYKIT_KEY_PASSPHRASE", PASSPHRASE);
    return ServerConfig.load(null, environment, Map.of());
  }

  @Test
  void twoIssuers_eachWithItsOwnKeys_andTwoAudiences() throws Exception {
    ServerConfig config =
        config(
            workforce.issuer() + ", " + customers.issuer(),
            workforce.jwksUri() + "," + customers.jwksUri(),
            "privacykit,consent-api");
    try (PrivacyKitServer server = PrivacyKitServer.start(config)) {
      assertThat(status(server, workforce.token("backend", "acme", Scopes.POLICY_READ)))
          .isEqualTo(200);
      assertThat(status(server, customers.token("portal", "acme", Scopes.POLICY_READ)))
          .isEqualTo(200);
      // Not configured, though it uses an accepted audience.
      assertThat(status(server, stranger.token("someone", "acme", Scopes.POLICY_READ)))
          .isEqualTo(401);
      // A token claiming the first issuer but signed with the second's key.
      String mixed =
          customers.tokenWith("portal", "acme", Map.of("iss", workforce.issuer(), "scope", "x"));
      assertThat(status(server, mixed)).isEqualTo(401);
      String metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                      .header(
                          "Authorization",
                          "Bearer " + workforce.token("prometheus", "acme", Scopes.METRICS_READ))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .contains("privacykit_jwks_healthy{issuer=\"" + workforce.issuer() + "\"} 1.0")
          .contains("privacykit_jwks_healthy{issuer=\"" + customers.issuer() + "\"} 1.0");
    }
  }

  @Test
  void eachIssuer_assertsOnlyItsOwnTenants() throws Exception {
    ServerConfig config =
        config(
            workforce.issuer() + "," + customers.issuer(),
            workforce.jwksUri() + "," + customers.jwksUri(),
            "privacykit,consent-api",
            "acme;beta,gamma");
    try (PrivacyKitServer server = PrivacyKitServer.start(config)) {
      assertThat(status(server, workforce.token("backend", "acme", Scopes.POLICY_READ)))
          .isEqualTo(200);
      assertThat(status(server, workforce.token("backend", "beta", Scopes.POLICY_READ)))
          .as("issuer X claiming a tenant bound to issuer Y")
          .isEqualTo(401);
      assertThat(status(server, customers.token("portal", "gamma", Scopes.POLICY_READ)))
          .isEqualTo(200);
      assertThat(status(server, customers.token("portal", "acme", Scopes.POLICY_READ)))
          .isEqualTo(401);
    }
    assertThatThrownBy(
            () ->
                config(
                    workforce.issuer() + "," + customers.issuer(),
                    workforce.jwksUri() + "," + customers.jwksUri(),
                    "privacykit",
                    "acme"))
        .hasMessage(
            "auth.issuer_tenants (PRIVACYKIT_ISSUER_TENANTS) has 1 groups for 2 issuers; give one"
                + " per issuer, in the same order, separated by ';'");
    assertThatThrownBy(
            () -> config(workforce.issuer(), workforce.jwksUri().toString(), "privacykit", ""))
        .hasMessageStartingWith(
            "auth.issuer_tenants (PRIVACYKIT_ISSUER_TENANTS) is required in production");
  }

  @Test
  void developmentMode_refusesRealIssuersKeysAndOtherHosts() {
    assertThatThrownBy(
            () ->
                ServerConfig.load(
                    null,
                    Map.of(
                        "PRIVACYKIT_ISSUER",
                        workforce.issuer(),
                        "PRIVACYKIT_JWKS_URL",
                        workforce.jwksUri().toString()),
                    Map.of()))
        .hasMessage(
            "auth.issuer (PRIVACYKIT_ISSUER) is set but mode (PRIVACYKIT_MODE) is development; set"
                + " mode: production to trust real issuers and keys");
    assertThatThrownBy(
            () -> ServerConfig.load(null, Map.of("PRIVACYKIT_KEY_SOURCE", "env:ROOT"), Map.of()))
        .hasMessageStartingWith("keys.source (PRIVACYKIT_KEY_SOURCE) is set but mode");
    assertThatThrownBy(
            () -> ServerConfig.load(null, Map.of("PRIVACYKIT_HOST", "0.0.0.0"), Map.of()))
        .hasMessageStartingWith(
            "server.host (PRIVACYKIT_HOST) must be a loopback address in development mode");
  }

  @Test
  void issuersAndKeys_thatDoNotPair_areRefusedNamingTheSettings() {
    assertThatThrownBy(
            () ->
                config(
                    workforce.issuer() + "," + customers.issuer(),
                    workforce.jwksUri().toString(),
                    "privacykit"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "auth.jwks_url (PRIVACYKIT_JWKS_URL) lists 1 key sources for 2 issuers in"
                + " auth.issuer (PRIVACYKIT_ISSUER); give one per issuer, in the same order");
    assertThatThrownBy(
            () ->
                config(
                    workforce.issuer() + "," + workforce.issuer(),
                    workforce.jwksUri() + "," + workforce.jwksUri(),
                    "privacykit"))
        .hasMessage("auth.issuer (PRIVACYKIT_ISSUER) names an issuer twice");
    assertThatThrownBy(() -> config(workforce.issuer(), "file:/etc/jwks.json", "privacykit"))
        .hasMessageContaining("not an http(s) URL");
    assertThatThrownBy(
            () ->
                ServerConfig.load(
                    null,
                    Map.of(
                        "PRIVACYKIT_MODE", "production",
                        "PRIVACYKIT_ISSUER", "https://id.example.com",
                        "PRIVACYKIT_JWKS_URL", "http://id.example.com/jwks.json",
                        "PRIVACYKIT_ISSUER_TENANTS", "*"),
                    Map.of()))
        .hasMessage(
            "auth.jwks_url (PRIVACYKIT_JWKS_URL) must use https in production mode (keys in clear"
                + " can be swapped)");
    assertThatThrownBy(() -> config(workforce.issuer(), workforce.jwksUri().toString(), " , "))
        .hasMessage("auth.audience (PRIVACYKIT_AUDIENCE) must name an audience");
  }

  private static int status(PrivacyKitServer server, String token) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/purposes"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }
}
