package dev.privacykit.server.http;

import static dev.privacykit.server.http.ServiceApiTest.mint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.server.Scopes;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.http.ServiceApiTest.Answer;
import dev.privacykit.server.http.ServiceApiTest.Client;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consent and request defences of issue 14, over real HTTP on H2 and PostgreSQL: idempotency
 * keys bound to the change, client times that cannot outrank a withdrawal, erasure that checks the
 * request first and runs once, bounded imports, and IP evidence that is never resolved.
 */
class ConsentHardeningTest {
  private static final String CHANGE = "/v1/subjects/{subject}/consents/{purpose}/{action}";
  private static final String ME = "/v1/me/consents/{purpose}/{action}";

  @TempDir static Path dir;

  private static Client client(PrivacyKitServer server, String subject, String scopes) {
    return new Client(
        server, new OpenApiContract(OpenApi.document()), mint(dir, "demo", subject, scopes));
  }

  private static PrivacyKitServer start(Database db) {
    return PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), db);
  }

  private static String subject() {
    return "subj-" + UUID.randomUUID();
  }

  @DatabaseTest
  void idempotencyKey_reusedForAnotherSubjectOrAction_is409_andChangesNothing(Database db)
      throws Exception {
    try (PrivacyKitServer server = start(db)) {
      Client api = client(server, "backend", Scopes.ADMIN);
      String alice = subject();
      String bob = subject();
      String key = "key-" + UUID.randomUUID();
      String give =
          "{\"notice_version\":2,\"language\":\"en\",\"idempotency_key\":\"" + key + "\"}";
      Answer first =
          api.post(CHANGE, "/v1/subjects/" + alice + "/consents/email_marketing/give", give);
      assertThat(first.status()).isEqualTo(201);
      Answer replay =
          api.post(CHANGE, "/v1/subjects/" + alice + "/consents/email_marketing/give", give);
      assertThat(replay.json().get("event_id")).isEqualTo(first.json().get("event_id"));

      Answer otherSubject =
          api.post(CHANGE, "/v1/subjects/" + bob + "/consents/email_marketing/give", give);
      assertThat(otherSubject.status()).isEqualTo(409);
      assertThat(otherSubject.json().get("pointer").asText()).isEqualTo("/idempotency_key");
      assertThat(otherSubject.text()).doesNotContain(alice);

      Answer otherAction =
          api.post(
              CHANGE,
              "/v1/subjects/" + alice + "/consents/email_marketing/withdraw",
              "{\"idempotency_key\":\"" + key + "\"}");
      assertThat(otherAction.status()).isEqualTo(409);
      assertThat(allowed(api, bob)).isFalse();
      assertThat(allowed(api, alice)).isTrue();

      // A data principal's own route: the key another subject claimed cannot make its change a
      // no-op, and its withdrawal does take effect.
      Client self = client(server, alice, Scopes.CONSENTS_SELF);
      Answer selfReuse =
          self.post(
              ME,
              "/v1/me/consents/email_marketing/withdraw",
              "{\"idempotency_key\":\"" + key + "\"}");
      assertThat(selfReuse.status()).isEqualTo(409);
      Answer selfWithdraw =
          self.post(
              ME,
              "/v1/me/consents/email_marketing/withdraw",
              "{\"idempotency_key\":\"" + key + "-w\"}");
      assertThat(selfWithdraw.status()).isEqualTo(201);
      assertThat(allowed(api, alice)).isFalse();

      // Re-importing an export of the keyed event is a replay, not a conflict.
      String exported =
          java.util.Arrays.stream(
                  api.get("/v1/consents/export", "/v1/consents/export").text().split("\n"))
              .filter(line -> line.contains(key) && !line.contains("\"WITHDRAWN\""))
              .findFirst()
              .orElseThrow();
      Answer reimported =
          api.call(
              "POST",
              "/v1/consents/import",
              "/v1/consents/import",
              exported + "\n",
              "application/x-ndjson");
      assertThat(reimported.json().get("duplicates").asInt()).as(reimported.text()).isEqualTo(1);

      // Import: a line reusing the key for another change is reported, not swallowed.
      Answer imported =
          api.call(
              "POST",
              "/v1/consents/import",
              "/v1/consents/import",
              "{\"subject\":\""
                  + bob
                  + "\",\"purpose\":\"email_marketing\",\"state\":\"GIVEN\",\"notice_version\":2,"
                  + "\"collected_at\":\"2026-01-01T00:00:00Z\",\"idempotency_key\":\""
                  + key
                  + "\"}\n",
              "application/x-ndjson");
      assertThat(imported.json().get("imported").asInt()).isZero();
      assertThat(imported.json().get("duplicates").asInt()).isZero();
      assertThat(imported.json().get("errors").get(0).asText())
          .contains("line 1", "idempotency_key");
    }
  }

  @DatabaseTest
  void futureDatedGrant_isRefused_andAWithdrawalAlwaysWins(Database db) throws Exception {
    try (PrivacyKitServer server = start(db)) {
      Client api = client(server, "backend", Scopes.ADMIN);
      String s = subject();
      String path = "/v1/subjects/" + s + "/consents/email_marketing/";
      Answer farFuture =
          api.post(
              CHANGE,
              path + "give",
              "{\"notice_version\":2,\"evidence\":{\"collected_at\":\""
                  + Instant.now().plus(1, ChronoUnit.DAYS)
                  + "\"}}");
      assertThat(farFuture.status()).as(farFuture.text()).isEqualTo(400);
      assertThat(farFuture.json().has("pointer")).as(farFuture.text()).isTrue();
      assertThat(farFuture.json().get("pointer").asText()).isEqualTo("/evidence/collected_at");
      assertThat(
              api.get(CHANGE.replace("/{action}", ""), path.substring(0, path.length() - 1))
                  .status())
          .as("nothing recorded")
          .isEqualTo(404);

      // Within the allowed skew a grant may carry a time a little ahead; a withdrawal received
      // after it must still take effect although its own time is earlier.
      Answer ahead =
          api.post(
              CHANGE,
              path + "give",
              "{\"notice_version\":2,\"evidence\":{\"collected_at\":\""
                  + Instant.now().plus(4, ChronoUnit.MINUTES)
                  + "\"}}");
      assertThat(ahead.status()).isEqualTo(201);
      assertThat(allowed(api, s)).isTrue();
      assertThat(api.post(CHANGE, path + "withdraw", "{}").status()).isEqualTo(201);
      assertThat(allowed(api, s)).isFalse();

      // An import of an old grant after the withdrawal does not bring consent back.
      api.call(
          "POST",
          "/v1/consents/import",
          "/v1/consents/import",
          "{\"subject\":\""
              + s
              + "\",\"purpose\":\"email_marketing\",\"state\":\"GIVEN\",\"notice_version\":2,"
              + "\"collected_at\":\"2020-01-01T00:00:00Z\",\"idempotency_key\":\"old-"
              + s
              + "\"}\n",
          "application/x-ndjson");
      assertThat(allowed(api, s)).isFalse();
    }
  }

  @DatabaseTest
  void erasure_checksTheRequestFirst_andRunsOnce(Database db) throws Exception {
    try (PrivacyKitServer server = start(db)) {
      Client api = client(server, "dpo", Scopes.ADMIN);
      String s = subject();
      writeBody(api, s);
      String unverified =
          api.post(
                  "/v1/requests",
                  "/v1/requests",
                  "{\"subject\":\"" + s + "\",\"type\":\"erasure\",\"regime\":\"gdpr\"}")
              .json()
              .get("id")
              .asText();
      Answer early = step(api, unverified, "erase", null);
      assertThat(early.status()).isEqualTo(409);
      assertThat(bodyState(api, s)).as("nothing shredded").isEqualTo("present");

      Answer denied = step(api, unverified, "verify", "{\"verified\":false}");
      assertThat(denied.json().get("status").asText()).isEqualTo("denied");
      assertThat(step(api, unverified, "erase", null).status()).isEqualTo(409);
      assertThat(bodyState(api, s)).isEqualTo("present");

      String verified =
          api.post(
                  "/v1/requests",
                  "/v1/requests",
                  "{\"subject\":\""
                      + s
                      + "\",\"type\":\"erasure\",\"regime\":\"gdpr\","
                      + "\"identity_verified\":true}")
              .json()
              .get("id")
              .asText();
      assertThat(step(api, verified, "fulfil", "{\"note\":\"done by hand\"}").status())
          .as("an erasure is not fulfilled without erasing")
          .isEqualTo(409);
      assertThat(step(api, verified, "erase", null).status()).isEqualTo(200);
      assertThat(step(api, verified, "erase", null).status()).isEqualTo(409);
      assertThat(bodyState(api, s)).isEqualTo("shredded");
      Answer entries =
          api.get("/v1/audit/events", "/v1/audit/events?subject=" + s + "&action=erase");
      assertThat(entries.json().get("entries").size()).isEqualTo(1);
    }
  }

  @DatabaseTest
  void stateChangingFlags_mustBeExplicitBooleans_andABadOneChangesNothing(Database db)
      throws Exception {
    try (PrivacyKitServer server = start(db)) {
      Client api = client(server, "dpo", Scopes.ADMIN);
      String s = subject();
      String id =
          api.post(
                  "/v1/requests",
                  "/v1/requests",
                  "{\"subject\":\"" + s + "\",\"type\":\"access\",\"regime\":\"gdpr\"}")
              .json()
              .get("id")
              .asText();
      String before = status(api, id);
      for (String body :
          new String[] {
            null, "{}", "{\"verified\":null}", "{\"verified\":\"true\"}", "{\"verified\":1}"
          }) {
        Answer refused = step(api, id, "verify", body);
        assertThat(refused.status()).as(String.valueOf(body)).isEqualTo(400);
        assertThat(refused.json().get("pointer").asText()).isEqualTo("/verified");
      }
      assertThat(status(api, id)).as("no guessed verification").isEqualTo(before);

      Answer nullFlag =
          api.post(
              "/v1/requests",
              "/v1/requests",
              "{\"subject\":\"" + s + "\",\"type\":\"access\",\"identity_verified\":null}");
      assertThat(nullFlag.status()).isEqualTo(400);
      assertThat(nullFlag.json().get("pointer").asText()).isEqualTo("/identity_verified");
      String due = api.get("/v1/requests", "/v1/requests?due_within_days=3650").text();
      assertThat(due.split(s, -1)).as("the refused request was not stored").hasSize(2);

      assertThat(step(api, id, "verify", "{\"verified\":true}").status()).isEqualTo(200);
      assertThat(status(api, id)).isNotEqualTo(before);
    }
  }

  private static String status(Client api, String id) throws Exception {
    return api.get("/v1/requests/{id}", "/v1/requests/" + id).json().get("status").asText();
  }

  @DatabaseTest
  void import_isBounded_andAnImportOverALimitStoresNothing(Database db) throws Exception {
    try (PrivacyKitServer server = start(db)) {
      Client api = client(server, "backend", Scopes.ADMIN);
      String s = subject();
      String line =
          "{\"subject\":\""
              + s
              + "\",\"purpose\":\"email_marketing\",\"state\":\"GIVEN\",\"notice_version\":2,"
              + "\"collected_at\":\"2026-01-01T00:00:00Z\",\"idempotency_key\":\"k%d\"}\n";
      StringBuilder tooMany = new StringBuilder();
      for (int i = 0; i <= 10_000; i++) {
        tooMany.append(String.format(line, i));
      }
      Answer many = ndjson(api, tooMany.toString());
      assertThat(many.status()).isEqualTo(413);
      String longLine = String.format(line, 1) + "{\"x\":\"" + "a".repeat(5_000) + "\"}\n";
      Answer tooLong = ndjson(api, longLine);
      assertThat(tooLong.status()).isEqualTo(400);
      assertThat(tooLong.json().get("detail").asText()).contains("line 2");
      assertThat(
              api.get(
                      CHANGE.replace("/{action}", ""),
                      "/v1/subjects/" + s + "/consents/email_marketing")
                  .status())
          .as("nothing imported")
          .isEqualTo(404);

      StringBuilder bad = new StringBuilder();
      for (int i = 0; i < 150; i++) {
        bad.append("not json\n");
      }
      Answer errors = ndjson(api, bad.toString());
      assertThat(errors.status()).isEqualTo(200);
      assertThat(errors.json().get("errors").size()).isEqualTo(101);
      assertThat(errors.json().get("errors").get(100).asText()).contains("50 more");
    }
  }

  @DatabaseTest
  void evidenceIp_mustBeALiteral(Database db) throws Exception {
    try (PrivacyKitServer server = start(db)) {
      Client api = client(server, "backend", Scopes.ADMIN);
      for (String ip : new String[] {"localhost", "dead.beef", "example.com"}) {
        Answer answer =
            api.post(
                CHANGE,
                "/v1/subjects/" + subject() + "/consents/email_marketing/give",
                "{\"notice_version\":2,\"evidence\":{\"ip_address\":\"" + ip + "\"}}");
        assertThat(answer.status()).as(ip).isEqualTo(400);
        assertThat(answer.json().get("pointer").asText()).isEqualTo("/evidence/ip_address");
      }
    }
  }

  private static Answer ndjson(Client api, String body) throws Exception {
    return api.call(
        "POST", "/v1/consents/import", "/v1/consents/import", body, "application/x-ndjson");
  }

  private static boolean allowed(Client api, String subject) throws Exception {
    return api.post(
            "/v1/consents/check",
            "/v1/consents/check",
            "{\"subject\":\"" + subject + "\",\"purposes\":[\"email_marketing\"]}")
        .json()
        .get("allowed")
        .asBoolean();
  }

  private static Answer step(Client api, String id, String step, String body) throws Exception {
    return api.call("POST", "/v1/requests/{id}/{step}", "/v1/requests/" + id + "/" + step, body);
  }

  /** An audit entry with a body, which is encrypted under the subject's own key. */
  private static void writeBody(Client api, String subject) throws Exception {
    Answer answer =
        api.post(
            "/v1/audit/events",
            "/v1/audit/events",
            "{\"subject\":\"" + subject + "\",\"action\":\"read\",\"body\":\"{}\"}");
    assertThat(answer.status()).as(answer.text()).isEqualTo(201);
  }

  private static String bodyState(Client api, String subject) throws Exception {
    Answer answer =
        api.get("/v1/audit/events", "/v1/audit/events?subject=" + subject + "&action=read");
    return answer.json().get("entries").get(0).get("body_state").asText();
  }
}
