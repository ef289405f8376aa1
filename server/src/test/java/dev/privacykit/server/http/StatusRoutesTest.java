package dev.privacykit.server.http;

import static dev.privacykit.server.http.ServiceApiTest.mint;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.http.ServiceApiTest.Answer;
import dev.privacykit.server.http.ServiceApiTest.Client;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's figures over real HTTP: {@code /v1/status}, {@code /v1/consents/stats}, {@code
 * /v1/audit/verification}, the checkpoint's signing time, and the same state in {@code /metrics};
 * per tenant, each answer checked against the OpenAPI document.
 */
class StatusRoutesTest {
  @TempDir static Path dir;

  @DatabaseTest
  void figuresFollowTheSeededState_perTenant_andMetricsAgree(Database db) throws Exception {
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), db)) {
      OpenApiContract contract = new OpenApiContract(OpenApi.document());
      Client acme = new Client(server, contract, mint(dir, "acme", "backend", Scopes.ADMIN));
      Client beta = acme.as(mint(dir, "beta", "backend", Scopes.ADMIN));
      String give = "/v1/subjects/{subject}/consents/{purpose}/{action}";
      String notice = "{\"notice_version\":2,\"language\":\"en\"}";
      for (String subject : new String[] {"s1", "s2", "s3"}) {
        assertThat(
                acme.post(
                        give, "/v1/subjects/" + subject + "/consents/email_marketing/give", notice)
                    .status())
            .isEqualTo(201);
      }
      acme.post(give, "/v1/subjects/s3/consents/email_marketing/withdraw", "{}");
      acme.post(give, "/v1/subjects/s4/consents/email_marketing/refuse", "{}");
      beta.post(give, "/v1/subjects/b1/consents/email_marketing/give", notice);
      beta.post(give, "/v1/subjects/b1/consents/email_marketing/withdraw", "{}");
      beta.post(give, "/v1/subjects/b2/consents/email_marketing/withdraw", "{}");
      String overdue = request(acme, "r-overdue");
      String soon = request(acme, "r-soon");
      request(acme, "r-fresh");
      received(db, overdue, 40); // a GDPR month (+ none extended) has passed
      received(db, soon, 26); // due within the week

      assertThat(acme.get("/v1/audit/verification", "/v1/audit/verification").status())
          .isEqualTo(404);
      assertThat(acme.post("/v1/audit/verify", "/v1/audit/verify", null).status()).isEqualTo(200);
      JsonNode checkpoint = acme.get("/v1/audit/checkpoint", "/v1/audit/checkpoint").json();
      Instant signedAt = Instant.parse(checkpoint.get("signed_at").asText());
      assertThat(signedAt).isBetween(Instant.now().minusSeconds(60), Instant.now());

      JsonNode status = acme.get("/v1/status", "/v1/status").json();
      assertThat(status.at("/requests/open").asInt()).isEqualTo(3);
      assertThat(status.at("/requests/overdue").asInt()).isEqualTo(1);
      assertThat(status.at("/requests/due_within_7_days").asInt()).isEqualTo(1);
      assertThat(status.get("withdrawals_24h").asInt()).isEqualTo(1);
      assertThat(status.at("/verification/ok").asBoolean()).isTrue();
      assertThat(status.at("/checkpoint/size").asLong())
          .isGreaterThanOrEqualTo(checkpoint.get("size").asLong());
      assertThat(Instant.parse(status.at("/checkpoint/signed_at").asText()))
          .isAfterOrEqualTo(signedAt);
      assertThat(status.at("/audit_queue/capacity").asInt()).isEqualTo(50_000);
      assertThat(status.at("/webhooks/failing").asInt()).isZero();

      assertThat(status.get("publication").isNull()).isTrue();
      assertThat(
              acme.get("/health/ready", "/health/ready").json().at("/checks/publication").asText())
          .isEqualTo("OFF");
      JsonNode other = beta.get("/v1/status", "/v1/status").json();
      assertThat(other.at("/requests/open").asInt()).isZero();
      // b2 had nothing to withdraw: still a withdrawal the subject made
      assertThat(other.get("withdrawals_24h").asInt()).isEqualTo(2);

      JsonNode run = acme.get("/v1/audit/verification", "/v1/audit/verification").json();
      assertThat(run.get("ok").asBoolean()).isTrue();
      assertThat(run.get("failure").isNull()).isTrue();
      assertThat(run.get("incremental").asBoolean()).isFalse();
      assertThat(
              acme.post("/v1/audit/verify", "/v1/audit/verify?incremental=true", null)
                  .json()
                  .get("ok")
                  .asBoolean())
          .isTrue();
      assertThat(
              acme.get("/v1/audit/verification", "/v1/audit/verification")
                  .json()
                  .get("incremental")
                  .asBoolean())
          .isTrue();
      ServiceApiTest.Answer yes =
          acme.post("/v1/audit/verify", "/v1/audit/verify?incremental=yes", null);
      assertThat(yes.status()).isEqualTo(400);
      assertThat(yes.json().get("pointer").asText()).isEqualTo("?incremental");

      JsonNode stats = acme.get("/v1/consents/stats", "/v1/consents/stats?days=7").json();
      assertThat(stats.get("days").asInt()).isEqualTo(7);
      String today = LocalDate.now(ZoneOffset.UTC).toString();
      assertThat(stats.get("to").asText()).isEqualTo(today);
      JsonNode marketing = null;
      for (JsonNode purpose : stats.get("purposes")) {
        assertThat(purpose.get("series")).hasSize(7);
        if (purpose.get("purpose").asText().equals("email_marketing")) {
          marketing = purpose.get("series").get(6);
        }
      }
      assertThat(marketing).isNotNull();
      assertThat(marketing.get("day").asText()).isEqualTo(today);
      assertThat(marketing.get("given").asInt()).isEqualTo(3);
      assertThat(marketing.get("withdrawn").asInt()).isEqualTo(1);
      assertThat(marketing.get("refused").asInt()).isEqualTo(1);

      for (String bad : new String[] {"8", "0", "abc", "-7", "٧"}) {
        Answer refused = acme.get("/v1/consents/stats", "/v1/consents/stats?days=" + bad);
        assertThat(refused.status()).as(bad).isEqualTo(400);
        assertThat(refused.json().get("pointer").asText()).isEqualTo("?days");
      }
      Client reader = acme.as(mint(dir, "acme", "backend", Scopes.CONSENTS_READ));
      assertThat(reader.get("/v1/status", "/v1/status").status()).isEqualTo(403);
      assertThat(reader.get("/v1/consents/stats", "/v1/consents/stats").status()).isEqualTo(200);

      String metrics =
          acme.as(mint(dir, "acme", "prometheus", Scopes.METRICS_READ))
              .get("/metrics", "/metrics")
              .text();
      assertThat(metrics)
          .contains("privacykit_requests_overdue{regime=\"gdpr\",type=\"access\"} 1.0")
          .contains("privacykit_requests_open{regime=\"gdpr\",type=\"access\"} 3.0")
          .contains("privacykit_consents{purpose=\"email_marketing\",state=\"withdrawn\"} 3.0")
          .contains("privacykit_audit_verification_ok 1.0")
          .contains("privacykit_http_requests_seconds_bucket{")
          .contains("le=\"0.25\"")
          .contains("jvm_memory_used_bytes")
          .contains("process_cpu_usage")
          .contains("privacykit_rate_limit_refusals_total 0.0");
    }
  }

  private static String request(Client api, String subject) throws Exception {
    Answer created =
        api.post(
            "/v1/requests",
            "/v1/requests",
            "{\"subject\":\"" + subject + "\",\"type\":\"access\",\"identity_verified\":true}");
    assertThat(created.status()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  /** Moves a request's receipt back: time passing, as the operator's clock would see it. */
  private static void received(Database db, String id, int daysAgo) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement p =
            c.prepareStatement("UPDATE dsr_requests SET received_at = ? WHERE id = ?")) {
      p.setObject(1, Instant.now().minusSeconds(daysAgo * 86_400L).atOffset(ZoneOffset.UTC));
      p.setString(2, id);
      assertThat(p.executeUpdate()).isEqualTo(1);
    }
  }
}
