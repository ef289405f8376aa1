package dev.privacykit.javalin;

import static dev.privacykit.javalin.PrivacyPlugin.PUBLIC;
import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditQuery;
import dev.privacykit.audit.AuditRecord;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.policies.ConsentAnswer;
import dev.privacykit.policies.InMemoryConsentLookup;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.storage.Database;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The plugin on a real server on port 0, called over HTTP with real signed tokens. */
class PrivacyPluginTest {
  static final String ISS = "https://id.example.test";
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static KeyPair rsa;
  static Database db;
  static AuditLog audit;
  static InMemoryConsentLookup consents = new InMemoryConsentLookup();
  static Javalin app;

  @BeforeAll
  static void start() throws Exception {
    TokenVerifierTest
        .keys(); // the malicious-token suite's keys: the app trusts the same issuer key
    rsa = TokenVerifierTest.rsa;
    String jwks =
        new JWKSet(new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).keyID("rsa-1").build())
            .toString();
    db =
        Database.open(
            Database.inMemoryUrl("plugin_" + UUID.randomUUID().toString().substring(0, 8)));
    db.migrate();
    audit =
        AuditLog.open(db, c -> c.origin("t/audit").signer(CheckpointSigner.generate("t/audit")));
    app =
        Javalin.create(
                config -> {
                  config.registerPlugin(
                      new PrivacyPlugin(
                          p ->
                              p.tokens(
                                      t ->
                                          t.issuer(ISS, i -> i.jwks(jwks).audience("orders-api"))
                                              .maxLifetime(java.time.Duration.ofHours(1)))
                                  .policy(PolicyPacks.gdpr())
                                  .consent(consents)
                                  .audit(audit)
                                  .auditWaitsForCommit()
                                  .grant("orders", "orders:read")));
                  config.routes.get("/health", ctx -> ctx.result("ok"), PUBLIC);
                  config.routes.get(
                      "/orders/{id}",
                      ctx -> ctx.result("order " + PrivacyPlugin.principal(ctx).subject()),
                      requires("orders:read"));
                  config.routes.get(
                      "/customers/{subject}/newsletter",
                      ctx -> ctx.result("yes"),
                      requires("orders:read")
                          .purpose("email_marketing")
                          .categories("user.contact.email")
                          .subjectFromPath("subject"));
                  config.routes.get(
                      "/ads/{subject}",
                      ctx -> ctx.result("ad"),
                      requires("orders:read")
                          .purpose("targeted_advertising")
                          .subjectFromPath("subject"));
                  config.routes.get(
                      "/boom",
                      ctx -> {
                        throw new IllegalStateException("secret internal detail alice@example.com");
                      },
                      requires("orders:read"));
                })
            .start(0);
  }

  @AfterAll
  static void stop() {
    app.stop();
    audit.close();
    db.shutdownInMemory();
  }

  static String token(String scope, String tenant) throws Exception {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(ISS)
            .subject("svc-orders")
            .audience("orders-api")
            .issueTime(new Date())
            .expirationTime(Date.from(Instant.now().plusSeconds(300)))
            .claim("scope", scope);
    if (tenant != null) {
      claims.claim("tenant", tenant);
    }
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims.build());
    jwt.sign(new RSASSASigner(rsa.getPrivate()));
    return jwt.serialize();
  }

  static HttpResponse<String> get(String path, String token, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void publicRoute_needsNoToken_andCarriesSecurityHeaders() throws Exception {
    HttpResponse<String> response = get("/health", null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(response.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("default-src 'none'"));
    assertThat(response.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
  }

  @Test
  void missingOrInvalidToken_is401_withAProblemAndWwwAuthenticate() throws Exception {
    HttpResponse<String> missing = get("/orders/1", null);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"privacykit\"");
    assertThat(missing.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));

    for (String bad :
        List.of("%%%.x.y", "a.b", "eyJhbGciOiJub25lIn0.e30.", token("orders", "acme") + "x")) {
      HttpResponse<String> response = get("/orders/1", bad, "X-Request-Id", "req-123");
      assertThat(response.statusCode()).as(bad).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(
              v ->
                  assertThat(v).startsWith("Bearer error=\"invalid_token\", error_description=\""));
      assertThat(response.body())
          .contains("\"type\":\"https://privacykit.dev/problems/invalid-token\"")
          .contains("\"status\":401")
          .contains("\"correlation_id\":\"req-123\"")
          .doesNotContain("Exception");
    }
    assertThat(get("/orders/1", token("orders", null)).body()).contains("token has no tenant");
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.MethodSource(
      "dev.privacykit.javalin.TokenVerifierTest#malicious")
  void maliciousToken_overHttp_is401_neverA500_andAudited(String name, String token, String reason)
      throws Exception {
    long before = authFailures();
    HttpResponse<String> response = get("/orders/1", token.isEmpty() ? null : token);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("\"status\":401").doesNotContain("Exception");
    long deadline = System.currentTimeMillis() + 2_000;
    while (authFailures() == before && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertThat(authFailures()).isGreaterThan(before);
  }

  static long authFailures() {
    long count = 0;
    long after = -1;
    while (true) {
      List<AuditRecord> page =
          audit.query(AuditQuery.tenant("_").action(Action.AUTH_FAILED).after(after).limit(1_000));
      count += page.size();
      if (page.size() < 1_000) {
        return count;
      }
      after = page.get(page.size() - 1).seq();
    }
  }

  @Test
  void tokenWithoutThePermission_is403InsufficientScope() throws Exception {
    HttpResponse<String> response = get("/orders/1", token("profile", "acme"));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer error=\"insufficient_scope\", scope=\"orders:read\"");
  }

  @Test
  void guardedRoute_withThePermission_answers_noStore() throws Exception {
    HttpResponse<String> response = get("/orders/1", token("orders", "acme"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("order svc-orders");
    assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
  }

  @Test
  void consentGuard_deniesWithTheReason_thenAllowsOnceConsentIsGiven_andAudits() throws Exception {
    String subject = "subj_" + UUID.randomUUID();
    HttpResponse<String> denied =
        get("/customers/" + subject + "/newsletter", token("orders", "acme"));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).contains("processing-denied/no-consent").doesNotContain(subject);
    consents.put("acme", subject, "email_marketing", ConsentAnswer.given(1, Instant.now()));
    assertThat(get("/customers/" + subject + "/newsletter", token("orders", "acme")).body())
        .contains("consent-needs-renewal");
    consents.put("acme", subject, "email_marketing", ConsentAnswer.given(2, Instant.now()));
    HttpResponse<String> allowed =
        get("/customers/" + subject + "/newsletter", token("orders", "acme"));
    assertThat(allowed.statusCode()).isEqualTo(200);
    List<AuditRecord> entries = audit.query(AuditQuery.tenant("acme").subject(subject));
    assertThat(entries)
        .extracting(r -> r.entry().action())
        .contains(Action.ACCESS_DENIED, Action.READ);
    AuditRecord read =
        entries.stream().filter(r -> r.entry().action() == Action.READ).findFirst().orElseThrow();
    assertThat(read.entry().purpose()).isEqualTo("email_marketing");
    assertThat(read.entry().legalBasis()).isEqualTo("gdpr:consent");
    assertThat(read.entry().categories()).containsExactly("user.contact.email");
  }

  @Test
  void gpcSignal_optsOutOfAdvertising() throws Exception {
    String subject = "subj_" + UUID.randomUUID();
    consents.put(
        "acme",
        subject,
        "targeted_advertising",
        new ConsentAnswer(
            dev.privacykit.policies.ConsentState.GIVEN,
            2,
            Instant.now().minusSeconds(60),
            null,
            false,
            null));
    assertThat(get("/ads/" + subject, token("orders", "acme")).statusCode()).isEqualTo(200);
    HttpResponse<String> withGpc = get("/ads/" + subject, token("orders", "acme"), "Sec-GPC", "1");
    assertThat(withGpc.statusCode()).isEqualTo(403);
    assertThat(withGpc.body()).contains("gpc-opt-out");
  }

  @Test
  void handlerFailure_is500Problem_withoutItsMessage() throws Exception {
    HttpResponse<String> response = get("/boom", token("orders", "acme"));
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body())
        .contains("\"type\":\"https://privacykit.dev/problems/internal\"")
        .doesNotContain("alice")
        .doesNotContain("secret");
  }

  @Test
  void undeclaredRoute_stopsTheServerFromStarting() {
    String jwks =
        new JWKSet(new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).keyID("rsa-1").build())
            .toString();
    assertThatThrownBy(
            () ->
                Javalin.create(
                        config -> {
                          config.registerPlugin(
                              new PrivacyPlugin(
                                  p ->
                                      p.tokens(
                                          t -> t.issuer(ISS, i -> i.jwks(jwks).audience("a")))));
                          config.routes.get("/open", ctx -> ctx.result("?"));
                        })
                    .start(0))
        .hasStackTraceContaining(
            "routes without requires(...) or PUBLIC (deny by default): GET /open");
    assertThatThrownBy(
            () -> Javalin.create(config -> config.registerPlugin(new PrivacyPlugin(p -> {}))))
        .hasStackTraceContaining("PrivacyPlugin needs tokens(...)");
  }

  /** Sends raw request bytes (headers a client library would normalise) and returns the status. */
  static int rawStatus(String headers) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", app.port())) {
      socket.setSoTimeout(5_000);
      socket
          .getOutputStream()
          .write(
              ("GET /orders/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                      + headers
                      + "\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      String status =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(
                      socket.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1))
              .readLine();
      return Integer.parseInt(status.split(" ")[1]);
    }
  }

  @Test
  void bearerHeader_withAnythingButSpacesBeforeTheToken_isRefused() throws Exception {
    String token = token("orders", "acme");
    assertThat(rawStatus("Authorization: Bearer " + token + "\r\n")).isEqualTo(200);
    assertThat(rawStatus("Authorization: Bearer   " + token + "\r\n")).isEqualTo(200);
    assertThat(rawStatus("Authorization: Bearer\t" + token + "\r\n")).isEqualTo(401);
    assertThat(rawStatus("Authorization: Bearer \t" + token + "\r\n")).isEqualTo(401);
    assertThat(rawStatus("Authorization: Bearer " + token + " x\r\n")).isEqualTo(401);
    assertThat(rawStatus("Authorization: Bearer\r\n " + token + "\r\n"))
        .as("a folded header line")
        .isIn(400, 401);
  }

  @Test
  void twoAuthorizationHeaders_areRefusedWith400() throws Exception {
    String token = token("orders", "acme");
    assertThat(
            rawStatus(
                "Authorization: Bearer " + token + "\r\nAuthorization: Bearer " + token + "\r\n"))
        .isEqualTo(400);
  }

  /** The status line and headers of a raw request. */
  static String rawHead(String method, String path) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", app.port())) {
      socket.setSoTimeout(5_000);
      socket
          .getOutputStream()
          .write(
              (method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      return new String(
          socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void headOnAPublicGet_answersWithoutABody_andOtherMethodsAre405WithAllow() throws Exception {
    String head = rawHead("HEAD", "/health");
    assertThat(head).startsWith("HTTP/1.1 200");
    assertThat(head.substring(head.indexOf("\r\n\r\n") + 4)).isEmpty();
    String delete = rawHead("DELETE", "/health");
    assertThat(delete).startsWith("HTTP/1.1 405").containsIgnoringCase("Allow: GET");
    assertThat(delete).contains("application/problem+json");
    String options = rawHead("OPTIONS", "/orders/1");
    assertThat(options).startsWith("HTTP/1.1 405").containsIgnoringCase("Allow: GET");
  }
}
