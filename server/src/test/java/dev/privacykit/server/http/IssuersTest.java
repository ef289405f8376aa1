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

  private ServerConfig config(String issuers, String jwksUrls, String audiences) {
    return ServerConfig.load(
        null,
        Map.of(
            "PRIVACYKIT_PORT", "0",
            "PRIVACYKIT_DATA_DIR", dir.toString(),
            "PRIVACYKIT_ISSUER", issuers,
            "PRIVACYKIT_JWKS_URL", jwksUrls,
            "PRIVACYKIT_AUDIENCE", audiences),
        Map.of());
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
      String metrics = ServerTest.get(server.port(), "/metrics").body();
      assertThat(metrics)
          .contains("privacykit_jwks_healthy{issuer=\"" + workforce.issuer() + "\"} 1.0")
          .contains("privacykit_jwks_healthy{issuer=\"" + customers.issuer() + "\"} 1.0");
    }
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
                        "PRIVACYKIT_JWKS_URL", "http://id.example.com/jwks.json"),
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
