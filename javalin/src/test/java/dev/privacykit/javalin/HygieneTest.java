package dev.privacykit.javalin;

import static dev.privacykit.javalin.PrivacyPlugin.PUBLIC;
import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.javalin.testing.TestIssuer;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Limits, CORS, rate limits and content types on a real server. */
class HygieneTest {
  @RegisterExtension static TestIssuer issuer = new TestIssuer("api");
  static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Javalin app(Consumer<PrivacyPluginConfig> more) {
    return Javalin.create(
            config -> {
              config.registerPlugin(
                  new PrivacyPlugin(
                      p -> {
                        p.tokens(
                            t ->
                                t.issuer(
                                    issuer.issuer(), i -> i.jwks(issuer.jwks()).audience("api")));
                        more.accept(p);
                      }));
              config.routes.get("/ping", ctx -> ctx.result("pong"), PUBLIC);
              config.routes.post("/echo", ctx -> ctx.result(ctx.body()), requires("echo"));
            })
        .start(0);
  }

  private static HttpResponse<String> send(Javalin app, HttpRequest.Builder request)
      throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder at(Javalin app, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
  }

  @Test
  void cors_answersOnlyTheExactOriginsAllowed() throws Exception {
    Javalin app = app(p -> p.cors("https://app.example.com"));
    try {
      HttpResponse<String> preflight =
          send(
              app,
              at(app, "/echo")
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .header("Origin", "https://app.example.com")
                  .header("Access-Control-Request-Method", "POST"));
      assertThat(preflight.statusCode()).isEqualTo(204);
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
          .contains("https://app.example.com");
      HttpResponse<String> other =
          send(app, at(app, "/ping").header("Origin", "https://evil.example.com"));
      assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    } finally {
      app.stop();
    }
  }

  @Test
  void rateLimit_perIp_answers429WithRetryAfter_andTrustsForwardingOnlyFromTrustedProxies()
      throws Exception {
    Javalin app = app(p -> p.rateLimits(5, 0));
    try {
      for (int i = 0; i < 5; i++) {
        assertThat(
                send(app, at(app, "/ping").header("X-Forwarded-For", "198.51.100." + i))
                    .statusCode())
            .isEqualTo(200);
      }
      HttpResponse<String> limited =
          send(app, at(app, "/ping").header("X-Forwarded-For", "198.51.100.99"));
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After")).isPresent();
      assertThat(limited.body()).contains("rate-limited");
    } finally {
      app.stop();
    }
    Javalin behindProxy = app(p -> p.rateLimits(5, 0).trustedProxies("127.0.0.1"));
    try {
      for (int i = 0; i < 8; i++) {
        assertThat(
                send(
                        behindProxy,
                        at(behindProxy, "/ping")
                            .header("X-Forwarded-For", "198.51.100." + i + ", 127.0.0.1"))
                    .statusCode())
            .isEqualTo(200);
      }
    } finally {
      behindProxy.stop();
    }
  }

  @Test
  void rateLimit_perIp_onAPublicRoute_cannotBeEscapedWithAnyAuthorizationHeader() throws Exception {
    Javalin app = app(p -> p.rateLimits(3, 0));
    try {
      for (int i = 0; i < 3; i++) {
        assertThat(
                send(app, at(app, "/ping").header("Authorization", "Bearer junk-" + i))
                    .statusCode())
            .isEqualTo(200);
      }
      assertThat(send(app, at(app, "/ping").header("Authorization", "Bearer x")).statusCode())
          .isEqualTo(429);
      assertThat(send(app, at(app, "/ping")).statusCode()).isEqualTo(429);
    } finally {
      app.stop();
    }
  }

  @Test
  void rateLimit_perPrincipal() throws Exception {
    Javalin app = app(p -> p.rateLimits(0, 2));
    try {
      String token = issuer.token("svc", "acme", "echo");
      for (int i = 0; i < 2; i++) {
        assertThat(
                send(
                        app,
                        at(app, "/echo")
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{}")))
                    .statusCode())
            .isEqualTo(200);
      }
      assertThat(
              send(
                      app,
                      at(app, "/echo")
                          .header("Authorization", "Bearer " + token)
                          .header("Content-Type", "application/json")
                          .POST(HttpRequest.BodyPublishers.ofString("{}")))
                  .statusCode())
          .isEqualTo(429);
    } finally {
      app.stop();
    }
  }

  @Test
  void wrongContentType_is415_tooLargeBody_is413_hugeHeaderOrUrl_431And414() throws Exception {
    Javalin app = app(p -> p.maxBodyBytes(1_024));
    try {
      String token = issuer.token("svc", "acme", "echo");
      HttpResponse<String> text =
          send(
              app,
              at(app, "/echo")
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "text/plain")
                  .POST(HttpRequest.BodyPublishers.ofString("hello")));
      assertThat(text.statusCode()).isEqualTo(415);
      assertThat(text.body()).contains("unsupported-media-type");
      // Matched exactly, not by prefix: lookalike types, other charsets and parameters are 415.
      for (String lookalike :
          new String[] {
            "application/jsonp",
            "application/json-seq",
            "application/json; charset=latin1",
            "application/json; x=1"
          }) {
        assertThat(
                send(
                        app,
                        at(app, "/echo")
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", lookalike)
                            .POST(HttpRequest.BodyPublishers.ofString("{}")))
                    .statusCode())
            .as(lookalike)
            .isEqualTo(415);
      }
      assertThat(MediaTypes.exact("Application/JSON; Charset=\"UTF-8\""))
          .isEqualTo("application/json");
      HttpResponse<String> large =
          send(
              app,
              at(app, "/echo")
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("\"" + "x".repeat(5_000) + "\"")));
      assertThat(large.statusCode()).isEqualTo(413);
      assertThat(send(app, at(app, "/ping").header("X-Big", "y".repeat(20_000))).statusCode())
          .isEqualTo(431);
      assertThat(send(app, at(app, "/ping?q=" + "z".repeat(20_000))).statusCode()).isIn(414, 431);
    } finally {
      app.stop();
    }
  }
}
