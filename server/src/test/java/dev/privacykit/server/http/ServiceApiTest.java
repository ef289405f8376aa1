package dev.privacykit.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.privacykit.server.DevIssuer;
import dev.privacykit.server.MainTest;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newcomer's flow over real HTTP, on H2 and on PostgreSQL: a development token, a consent
 * given, checked and withdrawn, accesses logged and reported, the log verified; encryption, data
 * subject requests and webhooks; bad input answered with problems naming the field. Every JSON
 * answer is validated against the served OpenAPI document, and the document's operations are
 * exactly the server's routes.
 */
public class ServiceApiTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  /** One data directory (development keys) for the class, as its database is one per class. */
  @TempDir static Path dir;

  record Answer(int status, String contentType, String text, JsonNode json, String requestId) {}

  /** Calls the server; {@code template} is the documented path the call must conform to. */
  static final class Client {
    final PrivacyKitServer server;
    final OpenApiContract contract;
    final String token;

    Client(PrivacyKitServer server, OpenApiContract contract, String token) {
      this.server = server;
      this.contract = contract;
      this.token = token;
    }

    Client as(String otherToken) {
      return new Client(server, contract, otherToken);
    }

    Answer call(String method, String template, String path, String body) throws Exception {
      return call(method, template, path, body, "application/json");
    }

    Answer call(String method, String template, String path, String body, String type)
        throws Exception {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      if (body != null) {
        request.header("Content-Type", type);
      }
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String contentType = response.headers().firstValue("Content-Type").orElse("");
      JsonNode json = null;
      if (contentType.startsWith("application/json")
          || contentType.startsWith("application/problem+json")) {
        json = Json.MAPPER.readTree(response.body());
        assertThat(contract.validate(method, template, response.statusCode(), contentType, json))
            .as(method + " " + path + " answered " + response.body())
            .isEmpty();
      }
      if (response.statusCode() >= 400) {
        assertThat(contentType).startsWith("application/problem+json");
      }
      return new Answer(
          response.statusCode(),
          contentType,
          response.body(),
          json,
          response.headers().firstValue("X-Request-Id").orElse(null));
    }

    Answer get(String template, String path) throws Exception {
      return call("GET", template, path, null);
    }

    Answer post(String template, String path, String body) throws Exception {
      return call("POST", template, path, body);
    }
  }

  public static String mint(Path dir, String tenant, String subject, String scopes) {
    MainTest.Result minted =
        MainTest.run(
            "token",
            "mint",
            "--data-dir",
            dir.toString(),
            "--tenant",
            tenant,
            "--subject",
            subject,
            "--scopes",
            scopes);
    assertThat(minted.code()).as(minted.err()).isZero();
    return minted.out().strip();
  }

  @DatabaseTest
  void newcomerFlow_overHttp(Database db) throws Exception {
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), db)) {
      OpenApiContract contract = new OpenApiContract(OpenApi.document());
      assertThat(server.routes()).isEqualTo(contract.operations());
      Client api = new Client(server, contract, mint(dir, "demo", "shop-backend", Scopes.ADMIN));
      String subject = "user-42";
      String consent = "/v1/subjects/{subject}/consents/{purpose}";

      assertThat(api.get("/v1/purposes", "/v1/purposes").json().get("purposes").size())
          .isPositive();
      assertThat(api.get("/v1/notices", "/v1/notices").status()).isEqualTo(200);
      Answer given =
          api.post(
              consent + "/{action}",
              "/v1/subjects/user-42/consents/email_marketing/give",
              "{\"notice_version\":2,\"language\":\"en\",\"evidence\":{\"ip_address\":\"203.0.113.9\"}}");
      assertThat(given.status()).isEqualTo(201);
      assertThat(given.json().get("state").asText()).isEqualTo("GIVEN");
      Answer check =
          api.post(
              "/v1/consents/check",
              "/v1/consents/check",
              "{\"subject\":\"user-42\",\"purposes\":[\"email_marketing\",\"targeted_advertising\"]}");
      assertThat(check.json().at("/results/email_marketing/allowed").asBoolean()).isTrue();
      assertThat(check.json().at("/results/targeted_advertising/reason").asText())
          .isEqualTo("no_consent");
      assertThat(check.json().get("allowed").asBoolean()).isFalse();
      assertThat(
              api.get(consent, "/v1/subjects/user-42/consents/email_marketing")
                  .json()
                  .get("state")
                  .asText())
          .isEqualTo("GIVEN");
      Answer receipt =
          api.get(consent + "/receipt", "/v1/subjects/user-42/consents/email_marketing/receipt");
      assertThat(receipt.json().get("receipt").asText().split("\\.")).hasSize(3);
      assertThat(
              api.post(
                      consent + "/{action}",
                      "/v1/subjects/user-42/consents/email_marketing/withdraw",
                      null)
                  .status())
          .isEqualTo(201);
      assertThat(
              api.post(
                      "/v1/consents/check",
                      "/v1/consents/check",
                      "{\"subject\":\"user-42\",\"purposes\":[\"email_marketing\"]}")
                  .json()
                  .at("/results/email_marketing/reason")
                  .asText())
          .isEqualTo("consent_withdrawn");
      assertThat(
              api.get(consent + "/history", "/v1/subjects/user-42/consents/email_marketing/history")
                  .json()
                  .get("events")
                  .size())
          .isEqualTo(2);
      assertThat(api.get(consent, "/v1/subjects/nobody/consents/email_marketing").status())
          .isEqualTo(404);

      // audit: single and batch appends, query, report, verify, proofs
      Answer appended =
          api.post(
              "/v1/audit/events",
              "/v1/audit/events",
              "{\"actor\":\"agent-7\",\"subject\":\"user-42\",\"action\":\"read\",\"purpose\":\"order_fulfilment\",\"categories\":[\"user.contact.email\"]}");
      assertThat(appended.status()).isEqualTo(201);
      long seq = appended.json().get("seq").asLong();
      Answer batch =
          api.post(
              "/v1/audit/events/batch",
              "/v1/audit/events/batch",
              "{\"events\":[{\"subject\":\"user-42\",\"action\":\"read\"},{\"subject\":\"user-42\",\"action\":\"export\",\"recipient\":\"carrier\"}]}");
      assertThat(batch.json().get("seqs").size()).isEqualTo(2);
      Answer query =
          api.get("/v1/audit/events", "/v1/audit/events?subject=user-42&action=read&actor=agent-7");
      assertThat(query.json().get("entries").size()).isEqualTo(1);
      // The two reads appended, the service's own record of this backend reading user-42's
      // consent state, receipt and history (the subject named from the path), the two checks
      // (reads, subject from the body) and the query above (an access to user-42's entries).
      assertThat(
              api.get("/v1/audit/events", "/v1/audit/events?subject=user-42&action=read")
                  .json()
                  .get("entries")
                  .size())
          .isEqualTo(8);
      // give and withdraw (subject from the path); checks are reads, not writes.
      assertThat(
              api.get(
                      "/v1/audit/events",
                      "/v1/audit/events?subject=user-42&action=write&actor=shop-backend")
                  .json()
                  .get("entries")
                  .size())
          .isEqualTo(2);
      Answer report =
          api.get("/v1/audit/reports/subjects/{subject}", "/v1/audit/reports/subjects/user-42");
      assertThat(report.text()).contains("agent-7").contains("\"checkpoint\"");
      Answer csv =
          api.get(
              "/v1/audit/reports/subjects/{subject}",
              "/v1/audit/reports/subjects/user-42?format=csv");
      assertThat(csv.contentType()).startsWith("text/csv");
      assertThat(api.get("/v1/audit/reports/summary", "/v1/audit/reports/summary").status())
          .isEqualTo(200);
      Answer verify = api.post("/v1/audit/verify", "/v1/audit/verify", null);
      assertThat(verify.json().get("ok").asBoolean()).as(verify.text()).isTrue();
      Answer proof = api.get("/v1/audit/proofs/inclusion", "/v1/audit/proofs/inclusion?seq=" + seq);
      assertThat(proof.json().get("path")).isNotNull();
      long size = proof.json().get("tree_size").asLong();
      assertThat(
              api.get(
                      "/v1/audit/proofs/consistency",
                      "/v1/audit/proofs/consistency?from=1&to=" + size)
                  .status())
          .isEqualTo(200);
      assertThat(
              api.get("/v1/audit/checkpoint", "/v1/audit/checkpoint").json().get("note").asText())
          .contains("privacykit.local/audit/");

      // encryption as a service; decrypts are audited
      Answer encrypted =
          api.post(
              "/v1/crypto/encrypt",
              "/v1/crypto/encrypt",
              "{\"table\":\"users\",\"column\":\"email\",\"row_id\":\"42\",\"plaintext\":\"ada@example.com\"}");
      String ciphertext = encrypted.json().get("ciphertext").asText();
      Answer decrypted =
          api.post(
              "/v1/crypto/decrypt",
              "/v1/crypto/decrypt",
              "{\"table\":\"users\",\"column\":\"email\",\"row_id\":\"42\",\"subject\":\"user-42\",\"ciphertext\":\""
                  + ciphertext
                  + "\"}");
      assertThat(decrypted.json().get("plaintext").asText()).isEqualTo("ada@example.com");
      Answer otherRow =
          api.post(
              "/v1/crypto/decrypt",
              "/v1/crypto/decrypt",
              "{\"table\":\"users\",\"column\":\"email\",\"row_id\":\"43\",\"ciphertext\":\""
                  + ciphertext
                  + "\"}");
      assertThat(otherRow.status()).isEqualTo(422);
      assertThat(otherRow.text()).contains("decryption failed").doesNotContain("ada");
      Answer mixed =
          api.post(
              "/v1/crypto/decrypt/batch",
              "/v1/crypto/decrypt/batch",
              "{\"items\":[{\"table\":\"users\",\"column\":\"email\",\"row_id\":\"42\",\"ciphertext\":\""
                  + ciphertext
                  + "\"},{\"table\":\"users\",\"column\":\"email\",\"ciphertext\":\"x\"}]}");
      assertThat(mixed.json().at("/results/0/plaintext").asText()).isEqualTo("ada@example.com");
      assertThat(mixed.json().at("/results/1/error/pointer").asText()).isEqualTo("/items/1/row_id");
      assertThat(
              api.get("/v1/audit/events", "/v1/audit/events?action=decrypt")
                  .json()
                  .get("entries")
                  .size())
          .isEqualTo(3);
      Answer term =
          api.post(
              "/v1/crypto/blind-index",
              "/v1/crypto/blind-index",
              "{\"table\":\"users\",\"column\":\"email_idx\",\"value\":\"ada@example.com\"}");
      assertThat(term.json().get("term").asText())
          .isEqualTo(
              api.post(
                      "/v1/crypto/blind-index",
                      "/v1/crypto/blind-index",
                      "{\"table\":\"users\",\"column\":\"email_idx\",\"value\":\"ada@example.com\"}")
                  .json()
                  .get("term")
                  .asText());
      assertThat(
              api.post(
                      "/v1/crypto/rewrap",
                      "/v1/crypto/rewrap",
                      "{\"table\":\"users\",\"column\":\"email\",\"row_id\":\"42\",\"ciphertext\":\""
                          + ciphertext
                          + "\"}")
                  .json()
                  .get("rewrapped")
                  .asBoolean())
          .isFalse();

      // data-subject request with an access package; markup in a subject is encoded in HTML
      Answer request =
          api.post(
              "/v1/requests",
              "/v1/requests",
              "{\"subject\":\"<b>bob</b>\",\"type\":\"access\",\"identity_verified\":true}");
      assertThat(request.status()).isEqualTo(201);
      String id = request.json().get("id").asText();
      assertThat(
              api.post("/v1/requests/{id}/{step}", "/v1/requests/" + id + "/start", null)
                  .json()
                  .get("status")
                  .asText())
          .isEqualTo("in_progress");
      Answer html =
          api.get("/v1/requests/{id}/package", "/v1/requests/" + id + "/package?format=html");
      assertThat(html.text()).contains("&lt;b&gt;bob&lt;/b&gt;").doesNotContain("<b>bob");
      assertThat(
              api.get("/v1/requests/{id}/package", "/v1/requests/" + id + "/package?format=json")
                  .status())
          .isEqualTo(200);
      assertThat(
              api.get("/v1/requests", "/v1/requests?due_within_days=40")
                  .json()
                  .get("requests")
                  .size())
          .isEqualTo(1);
      assertThat(api.get("/v1/requests/{id}", "/v1/requests/" + id).json().get("history").size())
          .isPositive();

      // webhooks
      Answer hook =
          api.post(
              "/v1/webhooks",
              "/v1/webhooks",
              "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"consent.withdrawn\"]}");
      assertThat(hook.status()).as(hook.text()).isEqualTo(201);
      assertThat(hook.json().get("secret").asText()).startsWith("whsec_");
      assertThat(api.get("/v1/webhooks/deliveries", "/v1/webhooks/deliveries").status())
          .isEqualTo(200);
      String hookPath = "/v1/webhooks/" + hook.json().get("id").asText();
      Client otherTenant = api.as(mint(dir, "other", "ops", Scopes.WEBHOOKS));
      assertThat(otherTenant.call("DELETE", "/v1/webhooks/{id}", hookPath, null).status())
          .as("another tenant's recipient is not found")
          .isEqualTo(404);
      assertThat(api.call("DELETE", "/v1/webhooks/{id}", hookPath, null).status()).isEqualTo(204);
      assertThat(api.call("DELETE", "/v1/webhooks/{id}", hookPath, null).status()).isEqualTo(404);

      // import and export
      Answer imported =
          api.call(
              "POST",
              "/v1/consents/import",
              "/v1/consents/import",
              "{\"subject\":\"u-9\",\"purpose\":\"email_marketing\",\"state\":\"GIVEN\",\"notice_version\":2,\"collected_at\":\"2026-01-01T00:00:00Z\",\"idempotency_key\":\"k1\"}\n"
                  + "{\"tenant\":\"other\",\"subject\":\"u-9\",\"purpose\":\"email_marketing\",\"state\":\"GIVEN\",\"notice_version\":2,\"collected_at\":\"2026-01-01T00:00:00Z\",\"idempotency_key\":\"k2\"}\n",
              "application/x-ndjson");
      assertThat(imported.json().get("imported").asInt()).isEqualTo(1);
      assertThat(imported.json().get("errors").get(0).asText()).startsWith("line 2:");
      assertThat(api.get("/v1/consents/export", "/v1/consents/export").text().lines().count())
          .isEqualTo(3);

      // a data principal's own token: its own consents only
      Client self = api.as(mint(dir, "demo", "user-42", Scopes.CONSENTS_SELF));
      assertThat(self.get("/v1/me/consents", "/v1/me/consents").json().get("subject").asText())
          .isEqualTo("user-42");
      assertThat(
              self.post(
                      "/v1/me/consents/{purpose}/{action}",
                      "/v1/me/consents/email_marketing/give",
                      "{\"notice_version\":2}")
                  .status())
          .isEqualTo(201);
      assertThat(
              self.get("/v1/subjects/{subject}/consents", "/v1/subjects/user-43/consents").status())
          .isEqualTo(403);

      // another tenant sees nothing of this one
      Client other = api.as(mint(dir, "other", "svc", Scopes.ADMIN));
      assertThat(other.get(consent, "/v1/subjects/user-42/consents/email_marketing").status())
          .isEqualTo(404);
      assertThat(other.get("/v1/requests/{id}", "/v1/requests/" + id).status()).isEqualTo(404);
      assertThat(
              other
                  .get("/v1/audit/proofs/inclusion", "/v1/audit/proofs/inclusion?seq=" + seq)
                  .status())
          .isEqualTo(404);

      // metrics by route template, never the raw path; only for a token with metrics:read
      URI metricsUri = URI.create("http://127.0.0.1:" + server.port() + "/metrics");
      assertThat(
              HTTP.send(
                      HttpRequest.newBuilder(metricsUri).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(401);
      assertThat(
              HTTP.send(
                      HttpRequest.newBuilder(metricsUri)
                          .header("Authorization", "Bearer " + api.token)
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .as("an admin token without metrics:read in its scopes still holds it through admin")
          .isEqualTo(200);
      HttpResponse<String> metrics =
          HTTP.send(
              HttpRequest.newBuilder(metricsUri)
                  .header(
                      "Authorization",
                      "Bearer " + mint(dir, "demo", "prometheus", Scopes.METRICS_READ))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body())
          .contains("privacykit_http_requests_seconds_count")
          .contains("route=\"/v1/subjects/{subject}/consents/{purpose}\"")
          .contains("privacykit_audit_queue_depth")
          .contains("privacykit_consent_cache_hits_total")
          .contains("privacykit_jwks_healthy{issuer=\"" + DevIssuer.ISSUER + "\"} 1.0")
          .contains("privacykit_jwks_fetch_failures_total{issuer=\"" + DevIssuer.ISSUER + "\"} 0.0")
          .doesNotContain("user-42");
    }
  }

  @DatabaseTest
  void badInput_isA400ProblemNamingTheField_andWritesNothing(Database db) throws Exception {
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), db)) {
      Client api =
          new Client(
              server,
              new OpenApiContract(OpenApi.document()),
              mint(dir, "demo", "svc", Scopes.ADMIN));
      String give = "/v1/subjects/{subject}/consents/{purpose}/{action}";
      record Case(String method, String template, String path, String body, String pointer) {}
      List<Case> cases =
          List.of(
              new Case(
                  "POST", give, "/v1/subjects/u/consents/email_marketing/give", "{not json", "/"),
              new Case("POST", give, "/v1/subjects/u/consents/email_marketing/give", "[1]", "/"),
              new Case(
                  "POST",
                  give,
                  "/v1/subjects/u/consents/email_marketing/give",
                  "{}",
                  "/notice_version"),
              new Case(
                  "POST",
                  give,
                  "/v1/subjects/u/consents/email_marketing/give",
                  "{\"notice_version\":\"2\"}",
                  "/notice_version"),
              new Case(
                  "POST",
                  give,
                  "/v1/subjects/u/consents/email_marketing/give",
                  "{\"notice_version\":2,\"colour\":1}",
                  "/colour"),
              new Case(
                  "POST",
                  give,
                  "/v1/subjects/u/consents/email_marketing/give",
                  "{\"notice_version\":2,\"notice_version\":3}",
                  "/"),
              new Case(
                  "POST",
                  give,
                  "/v1/subjects/u/consents/email_marketing/give",
                  "{\"notice_version\":2,\"evidence\":{\"collected_at\":\"yesterday\"}}",
                  "/evidence/collected_at"),
              new Case(
                  "POST",
                  give,
                  "/v1/subjects/u/consents/email_marketing/agree",
                  "{\"notice_version\":2}",
                  "{action}"),
              new Case(
                  "POST",
                  "/v1/consents/check",
                  "/v1/consents/check",
                  "{\"subject\":\"u\",\"purposes\":[]}",
                  "/purposes"),
              new Case(
                  "POST",
                  "/v1/consents/check",
                  "/v1/consents/check",
                  "{\"purposes\":[\"a\"]}",
                  "/subject"),
              new Case(
                  "POST",
                  "/v1/audit/events",
                  "/v1/audit/events",
                  "{\"action\":\"peek\"}",
                  "/action"),
              new Case(
                  "POST",
                  "/v1/audit/events",
                  "/v1/audit/events",
                  "{\"action\":\"read\",\"categories\":[\"bad category!\"]}",
                  "/"),
              new Case(
                  "POST",
                  "/v1/audit/events/batch",
                  "/v1/audit/events/batch",
                  "{\"events\":[{\"action\":\"read\"},{\"action\":\"nope\"}]}",
                  "/events/1/action"),
              new Case("GET", "/v1/audit/events", "/v1/audit/events?limit=abc", null, "?limit"),
              new Case("GET", "/v1/audit/events", "/v1/audit/events?from=today", null, "?from"),
              new Case(
                  "GET", "/v1/audit/proofs/inclusion", "/v1/audit/proofs/inclusion", null, "?seq"),
              new Case(
                  "GET",
                  "/v1/audit/reports/subjects/{subject}",
                  "/v1/audit/reports/subjects/u?format=pdf",
                  null,
                  "?format"),
              new Case(
                  "GET",
                  "/v1/audit/proofs/consistency",
                  "/v1/audit/proofs/consistency?from=5&to=1",
                  null,
                  "?to"),
              new Case(
                  "POST",
                  "/v1/crypto/encrypt",
                  "/v1/crypto/encrypt",
                  "{\"table\":\"t\",\"column\":\"c\",\"plaintext\":\"x\"}",
                  "/row_id"),
              new Case(
                  "POST",
                  "/v1/crypto/encrypt/batch",
                  "/v1/crypto/encrypt/batch",
                  "{\"items\":[]}",
                  "/items"),
              new Case(
                  "POST",
                  "/v1/requests",
                  "/v1/requests",
                  "{\"subject\":\"u\",\"type\":\"gossip\"}",
                  "/type"),
              new Case(
                  "POST",
                  "/v1/webhooks",
                  "/v1/webhooks",
                  "{\"url\":\"ftp://x\",\"events\":[\"consent.withdrawn\"]}",
                  null));
      for (Case c : cases) {
        Answer answer = api.call(c.method(), c.template(), c.path(), c.body());
        assertThat(answer.status()).as(c.toString() + " -> " + answer.text()).isEqualTo(400);
        if (c.pointer() != null) {
          assertThat(answer.json().get("pointer").asText()).as(c.toString()).isEqualTo(c.pointer());
        }
        assertThat(answer.text()).doesNotContain("Exception").doesNotContain("bad category!");
      }
      // nothing was written by any of them: the only entries are the middleware's own records
      // of the refused requests
      assertThat(
              server
                  .services()
                  .audit
                  .query(dev.privacykit.audit.AuditQuery.tenant("demo").actor("svc")))
          .allMatch(r -> r.entry().outcome() != dev.privacykit.audit.Outcome.SUCCESS);
      assertThat(
              api.get(give.replace("/{action}", ""), "/v1/subjects/u/consents/email_marketing")
                  .status())
          .isEqualTo(404);
      assertThat(
              api.get(give.replace("/{action}", ""), "/v1/subjects/u/consents/no_such_purpose")
                  .status())
          .isEqualTo(404);
      assertThat(
              api.call("POST", "/v1/consents/check", "/v1/consents/check", "{}", "text/plain")
                  .status())
          .isEqualTo(415);
      assertThat(api.as(null).get("/v1/purposes", "/v1/purposes").status()).isEqualTo(401);
      // a well-formed token signed by another development issuer's key
      Path elsewhere = java.nio.file.Files.createTempDirectory("other-issuer");
      Answer forged =
          api.as(mint(elsewhere, "demo", "svc", Scopes.ADMIN)).get("/v1/purposes", "/v1/purposes");
      assertThat(forged.status()).isEqualTo(401);
      assertThat(forged.json().get("type").asText()).endsWith("/invalid-token");
      assertThat(
              api.as(mint(dir, "demo", "svc", Scopes.AUDIT_READ))
                  .get("/v1/purposes", "/v1/purposes")
                  .status())
          .isEqualTo(403);
    }
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static Duration second() {
    return Duration.ofSeconds(1);
  }
}
