package dev.privacykit.server.http;

import static dev.privacykit.server.http.ServiceApiTest.mint;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.privacykit.policies.NoticeText;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.Setting;
import dev.privacykit.server.http.ServiceApiTest.Answer;
import dev.privacykit.server.http.ServiceApiTest.Client;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notices over real HTTP under the DPDP pack, on H2 and PostgreSQL (DPDP s.5, s.6(3), Rule 3): the
 * public notice route serves each exact text with its SHA-256 (what a consent event stores),
 * cacheable; a consent without a language, or with a hash that is not the policy's, is refused
 * naming the field and stores nothing; every JSON answer is validated against the OpenAPI document.
 */
class NoticesApiTest {
  @TempDir static Path dir;

  private static final String NOTICE = "/v1/notices/{notice}/{version}";
  private static final String CHANGE = "/v1/subjects/{subject}/consents/{purpose}/{action}";
  private static final String HISTORY = "/v1/subjects/{subject}/consents/{purpose}/history";
  private static final String ME = "/v1/me/consents/{purpose}/{action}";

  private static void assertProblem(Answer answer, int status, String type, String pointer) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    assertThat(answer.json().get("type").asText()).endsWith("/" + type);
    if (pointer != null) {
      assertThat(answer.json().get("pointer").asText()).isEqualTo(pointer);
    }
  }

  @DatabaseTest
  void notices_arePublicAndCacheable_andConsentsProveTheTextShown(Database db) throws Exception {
    Path policy = dir.resolve("dpdp.yaml");
    Files.writeString(policy, PolicyPacks.text("dpdp.yaml"));
    Map<Setting, String> settings = new EnumMap<>(Setting.class);
    settings.put(Setting.DATA_DIR, dir.toString());
    settings.put(Setting.PORT, "0");
    settings.put(Setting.POLICY_FILE, policy.toString());
    try (PrivacyKitServer server =
        PrivacyKitServer.start(ServerConfig.load(null, Map.of(), settings), db)) {
      OpenApiContract contract = new OpenApiContract(OpenApi.document());
      assertThat(server.routes()).isEqualTo(contract.operations());
      String tenant = "ntc-" + db.dialect().toString().toLowerCase(java.util.Locale.ROOT);
      Client anonymous = new Client(server, contract, null);
      Client admin = anonymous.as(mint(dir, tenant, "backend", Scopes.ADMIN));
      Client writer = anonymous.as(mint(dir, tenant, "backend", Scopes.CONSENTS_WRITE));
      Client alice = anonymous.as(mint(dir, tenant, "alice", Scopes.CONSENTS_SELF));

      // Public: no token; each text comes with the SHA-256 of its UTF-8 bytes.
      Answer notice = anonymous.get(NOTICE, "/v1/notices/dpdp-notice/2");
      assertThat(notice.status()).isEqualTo(200);
      JsonNode v2 = notice.json();
      assertThat(v2.get("languages")).hasSize(2);
      String english = v2.at("/texts/en/sha256").asText();
      String hindi = v2.at("/texts/hi/sha256").asText();
      assertThat(english).isEqualTo(NoticeText.sha256(v2.at("/texts/en/text").asText()));
      assertThat(hindi).isEqualTo(NoticeText.sha256(v2.at("/texts/hi/text").asText()));
      assertThat(v2.at("/links/complaint").asText()).startsWith("https://");
      assertThat(v2.get("items").findValuesAsText("data")).contains("principal.location");
      assertThat(v2.get("material").asBoolean()).isTrue();
      JsonNode onlyHindi = anonymous.get(NOTICE, "/v1/notices/dpdp-notice/2?language=hi").json();
      assertThat(onlyHindi.get("texts").size()).isEqualTo(1);
      assertThat(onlyHindi.at("/texts/hi/sha256").asText()).isEqualTo(hindi);

      // Unknown notice, version or language: 404 problems; a token changes nothing.
      assertProblem(anonymous.get(NOTICE, "/v1/notices/nope/1"), 404, "unknown-notice", null);
      assertProblem(
          anonymous.get(NOTICE, "/v1/notices/dpdp-notice/9"), 404, "unknown-notice-version", null);
      assertProblem(
          anonymous.get(NOTICE, "/v1/notices/dpdp-notice/-1"), 404, "unknown-notice-version", null);
      assertProblem(
          admin.get(NOTICE, "/v1/notices/dpdp-notice/2?language=fr"),
          404,
          "unknown-language",
          "?language");

      // ETag = the SHA-256 of the answer; If-None-Match answers 304; shared caches may keep it.
      HttpClient http = HttpClient.newHttpClient();
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/notices/dpdp-notice/2");
      HttpResponse<String> first =
          http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      String etag = first.headers().firstValue("ETag").orElseThrow();
      assertThat(etag).isEqualTo("\"" + NoticeText.sha256(first.body()) + "\"");
      assertThat(first.headers().firstValue("Cache-Control")).contains("public, max-age=300");
      HttpResponse<String> again =
          http.send(
              HttpRequest.newBuilder(uri).header("If-None-Match", etag).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(again.statusCode()).isEqualTo(304);
      assertThat(again.body()).isEmpty();

      // A DPDP consent without a language: 400 naming /language, nothing stored.
      assertProblem(
          writer.post(
              CHANGE, "/v1/subjects/bob/consents/usage_analytics/give", "{\"notice_version\":2}"),
          400,
          "language-required",
          "/language");
      // A hash that is not the policy's (another language's, or made up, or malformed): 400.
      for (String hash : new String[] {english, "0".repeat(64)}) {
        assertProblem(
            writer.post(
                CHANGE,
                "/v1/subjects/bob/consents/usage_analytics/give",
                "{\"notice_version\":2,\"language\":\"hi\",\"notice_hash\":\"" + hash + "\"}"),
            400,
            "notice-hash-mismatch",
            "/notice_hash");
      }
      assertProblem(
          writer.post(
              CHANGE,
              "/v1/subjects/bob/consents/usage_analytics/give",
              "{\"notice_version\":2,\"language\":\"hi\",\"notice_hash\":\""
                  + "A".repeat(64)
                  + "\"}"),
          400,
          "invalid-field",
          "/notice_hash");
      assertThat(
              admin
                  .get(HISTORY, "/v1/subjects/bob/consents/usage_analytics/history")
                  .json()
                  .get("events"))
          .as("nothing was stored")
          .isEmpty();

      // The right hash is stored; without one, the policy's hash of the text shown is stored.
      Answer sent =
          writer.post(
              CHANGE,
              "/v1/subjects/bob/consents/usage_analytics/give",
              "{\"notice_version\":2,\"language\":\"hi\",\"notice_hash\":\"" + hindi + "\"}");
      assertThat(sent.status()).as(sent.text()).isEqualTo(201);
      assertThat(sent.json().get("notice_hash").asText()).isEqualTo(hindi);
      Answer computed =
          writer.post(
              CHANGE,
              "/v1/subjects/carol/consents/usage_analytics/give",
              "{\"notice_version\":2,\"language\":\"en\"}");
      assertThat(computed.json().get("notice_hash").asText()).isEqualTo(english);

      // The principal's own route takes the same body and the same checks.
      assertProblem(
          alice.post(ME, "/v1/me/consents/usage_analytics/give", "{\"notice_version\":2}"),
          400,
          "language-required",
          "/language");
      assertProblem(
          alice.post(
              ME,
              "/v1/me/consents/usage_analytics/give",
              "{\"notice_version\":2,\"language\":\"en\",\"notice_hash\":\"" + hindi + "\"}"),
          400,
          "notice-hash-mismatch",
          "/notice_hash");
      Answer mine =
          alice.post(
              ME,
              "/v1/me/consents/usage_analytics/give",
              "{\"notice_version\":2,\"language\":\"en\",\"notice_hash\":\"" + english + "\"}");
      assertThat(mine.status()).as(mine.text()).isEqualTo(201);
      assertThat(mine.json().get("notice_hash").asText()).isEqualTo(english);
      assertThat(
              admin
                  .get(HISTORY, "/v1/subjects/alice/consents/usage_analytics/history")
                  .json()
                  .get("events"))
          .hasSize(1);
    }
  }
}
