package dev.privacykit.server.http;

import static dev.privacykit.server.http.ServiceApiTest.mint;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.Setting;
import dev.privacykit.server.http.ServiceApiTest.Answer;
import dev.privacykit.server.http.ServiceApiTest.Client;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention that runs, over real HTTP under the DPDP pack: a dry run that writes nothing, a consent
 * past its grace, an inactive principal told ahead and erased (their encrypted data unreadable), a
 * principal who comes back spared, per tenant, every answer checked against the OpenAPI document.
 * Time is moved by setting the stored times back, as the service reads its own clock.
 */
class RetentionApiTest {
  @TempDir static Path dir;

  private static final String RUN = "/v1/retention/run";
  private static final String ACTIONS = "/v1/retention/actions";
  private static final String ACTIVITY = "/v1/subjects/{subject}/activity";

  private static void sql(Database db, String statement, Object... values) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(statement)) {
      for (int i = 0; i < values.length; i++) {
        Object v = values[i];
        s.setObject(i + 1, v instanceof Instant t ? t.atOffset(ZoneOffset.UTC) : v);
      }
      s.executeUpdate();
    }
  }

  private static Instant yearsAgo(int years, Duration plus) {
    return Instant.now().atOffset(ZoneOffset.UTC).minusYears(years).toInstant().plus(plus);
  }

  private static String decrypt(String subject, String ciphertext) {
    return "{\"table\":\"profiles\",\"column\":\"phone\",\"row_id\":\""
        + subject
        + "\",\"subject\":\""
        + subject
        + "\",\"ciphertext\":\""
        + ciphertext
        + "\"}";
  }

  @DatabaseTest
  void retentionRuns_overHttp_withNoticeAheadOfErasure_andSparesWhoComesBack(Database db)
      throws Exception {
    Path policy = dir.resolve("dpdp.yaml");
    Files.writeString(policy, PolicyPacks.text("dpdp.yaml"));
    Map<Setting, String> settings = new EnumMap<>(Setting.class);
    settings.put(Setting.DATA_DIR, dir.toString());
    settings.put(Setting.PORT, "0");
    settings.put(Setting.POLICY_FILE, policy.toString());
    settings.put(Setting.RETENTION_RUN_EVERY_MINUTES, "0");
    try (PrivacyKitServer server =
        PrivacyKitServer.start(ServerConfig.load(null, Map.of(), settings), db)) {
      OpenApiContract contract = new OpenApiContract(OpenApi.document());
      String tenant = "ret-" + db.dialect().getClass().getSimpleName().toLowerCase();
      Client api = new Client(server, contract, mint(dir, tenant, "backend", Scopes.ADMIN));
      Client other = api.as(mint(dir, "other-" + tenant, "backend", Scopes.ADMIN));
      Client writer = api.as(mint(dir, tenant, "backend", Scopes.CONSENTS_WRITE));

      // "returning" and "dormant" were last seen over three years ago, less a day.
      for (String subject : new String[] {"returning", "dormant"}) {
        assertThat(api.post(ACTIVITY, "/v1/subjects/" + subject + "/activity", null).status())
            .isEqualTo(204);
        sql(
            db,
            "UPDATE principal_activity SET last_seen_at = ? WHERE tenant = ? AND subject = ?",
            yearsAgo(3, Duration.ofDays(1)),
            tenant,
            subject);
      }
      String ciphertext =
          api.post(
                  "/v1/crypto/encrypt",
                  "/v1/crypto/encrypt",
                  "{\"table\":\"profiles\",\"column\":\"phone\",\"row_id\":\"dormant\","
                      + "\"subject\":\"dormant\",\"plaintext\":\"+91 98 7654 3210\"}")
              .json()
              .get("ciphertext")
              .asText();
      // "lapsed" withdrew analytics consent 31 days ago.
      String consent = "/v1/subjects/{subject}/consents/{purpose}/{action}";
      api.post(
          consent,
          "/v1/subjects/lapsed/consents/usage_analytics/give",
          "{\"notice_version\":2,\"language\":\"en\"}");
      api.post(consent, "/v1/subjects/lapsed/consents/usage_analytics/withdraw", "{}");
      sql(
          db,
          "UPDATE consent_state SET changed_at = ? WHERE tenant = ? AND subject = 'lapsed'",
          Instant.now().minus(Duration.ofDays(31)),
          tenant);

      JsonNode dry = api.post(RUN, RUN + "?dry_run=true", null).json();
      assertThat(dry.get("dry_run").asBoolean()).isTrue();
      assertThat(dry.at("/counts/notice").asInt()).isEqualTo(2);
      assertThat(dry.at("/counts/erase").asInt()).isEqualTo(1);
      assertThat(dry.get("actions").findValuesAsText("status")).containsOnly("planned");
      assertThat(api.get(ACTIONS, ACTIONS).json().get("actions").size())
          .as("a dry run writes nothing")
          .isZero();
      assertThat(other.post(RUN, RUN, "{}").json().get("actions").size())
          .as("another tenant's run touches nothing here")
          .isZero();

      JsonNode run = api.post(RUN, RUN, null).json();
      assertThat(run.at("/counts/notice").asInt()).isEqualTo(2);
      assertThat(run.at("/counts/erase").asInt()).isEqualTo(1);
      JsonNode erased = run.get("actions").get(0);
      assertThat(erased.get("subject").asText()).isEqualTo("lapsed");
      assertThat(erased.get("purpose").asText()).isEqualTo("usage_analytics");
      assertThat(erased.get("rule").asText()).isEqualTo("consent_ended");
      for (JsonNode notice : run.get("actions")) {
        if (notice.get("kind").asText().equals("notice")) {
          assertThat(Duration.between(Instant.now(), Instant.parse(notice.get("due_at").asText())))
              .isGreaterThan(Duration.ofHours(47));
        }
      }
      assertThat(api.post(RUN, RUN, null).json().get("actions").size()).as("once").isZero();

      // "returning" logs in; both notices' time runs out.
      assertThat(api.post(ACTIVITY, "/v1/subjects/returning/activity", "{}").status())
          .isEqualTo(204);
      sql(
          db,
          "UPDATE retention_actions SET due_at = ? WHERE tenant = ? AND kind = 'NOTICE'",
          Instant.now().minusSeconds(1),
          tenant);
      JsonNode after = api.post(RUN, RUN, null).json();
      assertThat(after.at("/counts/cancel").asInt()).isEqualTo(1);
      assertThat(after.at("/counts/erase").asInt()).isEqualTo(1);
      for (JsonNode action : after.get("actions")) {
        assertThat(action.get("subject").asText())
            .isEqualTo(action.get("kind").asText().equals("cancel") ? "returning" : "dormant");
      }
      Answer unreadable =
          api.post("/v1/crypto/decrypt", "/v1/crypto/decrypt", decrypt("dormant", ciphertext));
      assertThat(unreadable.status()).isEqualTo(422);

      JsonNode report = api.get(ACTIONS, ACTIONS).json().get("actions");
      assertThat(report.findValuesAsText("kind"))
          .containsExactlyInAnyOrder("erase", "notice", "notice", "cancel", "erase");
      assertThat(other.get(ACTIONS, ACTIONS).json().get("actions").size()).isZero();
      assertThat(
              api.get("/v1/audit/events", "/v1/audit/events?subject=dormant&action=erase")
                  .json()
                  .get("entries")
                  .size())
          .isEqualTo(1);

      // Refusals name what is wrong; a token without the scope may not run it.
      Answer maybe = api.post(RUN, RUN + "?dry_run=maybe", null);
      assertThat(maybe.status()).isEqualTo(400);
      assertThat(maybe.json().get("pointer").asText()).isEqualTo("?dry_run");
      Answer backwards =
          api.get(ACTIONS, ACTIONS + "?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z");
      assertThat(backwards.json().get("pointer").asText()).isEqualTo("?from");
      assertThat(writer.post(RUN, RUN, null).status()).isEqualTo(403);
      Answer extra =
          api.post(ACTIVITY, "/v1/subjects/x/activity", "{\"at\":\"2020-01-01T00:00:00Z\"}");
      assertThat(extra.status()).isEqualTo(400);
    }
  }
}
