package dev.privacykit.server.http;

import static dev.privacykit.server.http.ServiceApiTest.mint;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.http.ServiceApiTest.Answer;
import dev.privacykit.server.http.ServiceApiTest.Client;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/**
 * The breach register over real HTTP, on H2 and PostgreSQL: every JSON answer validated against the
 * served OpenAPI document (whose operations are exactly the routes), the scope required, another
 * tenant refused with 404, bad fields answered with 400 naming the field and storing nothing,
 * affected principals found from real audit entries and told by one webhook each, and the report
 * draft's HTML escaping hostile input.
 */
class IncidentsApiTest {
  @TempDir static Path dir;

  private static final String HOSTILE = "<script>alert(1)</script> & \"friends\"";

  @DatabaseTest
  void breachRegister_overHttp(Database db) throws Exception {
    AtomicInteger notices = new AtomicInteger();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          notices.incrementAndGet();
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), db)) {
      OpenApiContract contract = new OpenApiContract(OpenApi.document());
      assertThat(server.routes()).isEqualTo(contract.operations());
      String tenant = "acme-" + db.dialect().toString().toLowerCase(java.util.Locale.ROOT);
      Client dpo = new Client(server, contract, mint(dir, tenant, "dpo", Scopes.INCIDENTS));
      Client other = dpo.as(mint(dir, "beta", "dpo", Scopes.INCIDENTS));
      Client unscoped = dpo.as(mint(dir, tenant, "dpo", Scopes.REQUESTS));
      Client backend =
          dpo.as(mint(dir, tenant, "shop", Scopes.AUDIT_WRITE + "," + Scopes.WEBHOOKS));
      Instant start = Instant.now().minusSeconds(5);
      for (String subject : List.of("user-1", "user-2", "user-2")) {
        assertThat(
                backend
                    .post(
                        "/v1/audit/events",
                        "/v1/audit/events",
                        "{\"actor\":\"agent-7\",\"subject\":\""
                            + subject
                            + "\",\"action\":\"read\",\"categories\":[\"user.contact.email\"]}")
                    .status())
            .isEqualTo(201);
      }
      backend.post(
          "/v1/audit/events",
          "/v1/audit/events",
          "{\"actor\":\"agent-8\",\"subject\":\"user-3\",\"action\":\"read\"}");
      assertThat(
              backend
                  .post(
                      "/v1/webhooks",
                      "/v1/webhooks",
                      "{\"url\":\"http://127.0.0.1:"
                          + receiver.getAddress().getPort()
                          + "/hook\",\"events\":[\"breach.notice\"]}")
                  .status())
          .isEqualTo(201);

      // bad fields: 400 naming the field, nothing stored
      Instant detected = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
      String future = Instant.now().plus(Duration.ofMinutes(10)).toString();
      assertPointer(
          dpo.post(
              "/v1/incidents",
              "/v1/incidents",
              "{\"detected_at\":\"" + future + "\",\"nature\":\"x\"}"),
          "/detected_at");
      assertPointer(
          dpo.post("/v1/incidents", "/v1/incidents", "{\"nature\":\"x\"}"), "/detected_at");
      assertPointer(
          dpo.post("/v1/incidents", "/v1/incidents", "{\"detected_at\":\"" + detected + "\"}"),
          "/nature");
      assertPointer(
          dpo.post(
              "/v1/incidents",
              "/v1/incidents",
              "{\"detected_at\":\""
                  + detected
                  + "\",\"nature\":\"x\",\"approximate_principals\":\"many\"}"),
          "/approximate_principals");
      assertPointer(
          dpo.post(
              "/v1/incidents",
              "/v1/incidents",
              "{\"detected_at\":\"" + detected + "\",\"nature\":\"x\",\"categories\":[\"a b\"]}"),
          "/categories/0");
      assertPointer(
          dpo.post(
              "/v1/incidents",
              "/v1/incidents",
              "{\"detected_at\":\"" + detected + "\",\"nature\":\"x\",\"regime\":\"CCPA\"}"),
          "/regime");
      assertPointer(
          dpo.post(
              "/v1/incidents",
              "/v1/incidents",
              "{\"detected_at\":\"" + detected + "\",\"nature\":\"x\",\"hidden\":true}"),
          "/hidden");
      assertThat(dpo.get("/v1/incidents", "/v1/incidents").json().get("incidents").size()).isZero();

      // no scope: 403
      assertThat(unscoped.get("/v1/incidents", "/v1/incidents").status()).isEqualTo(403);
      assertThat(
              unscoped
                  .post(
                      "/v1/incidents",
                      "/v1/incidents",
                      "{\"detected_at\":\"" + detected + "\",\"nature\":\"x\"}")
                  .status())
          .isEqualTo(403);

      Answer created =
          dpo.post(
              "/v1/incidents",
              "/v1/incidents",
              "{\"regime\":\"DPDP\",\"detected_at\":\""
                  + detected
                  + "\",\"nature\":"
                  + Json.MAPPER.writeValueAsString(HOSTILE)
                  + ",\"categories\":[\"user.contact.email\"],\"approximate_principals\":2,"
                  + "\"contact\":\"Grievance officer, grievance@example.in\"}");
      assertThat(created.status()).isEqualTo(201);
      JsonNode incident = created.json();
      String id = incident.get("id").asText();
      String path = "/v1/incidents/" + id;
      assertThat(incident.get("status").asText()).isEqualTo("OPEN");
      assertThat(incident.at("/clocks/authority_due_at").asText())
          .isEqualTo(detected.plus(Duration.ofHours(72)).toString());
      assertThat(incident.at("/clocks/report_due_at").asText())
          .isEqualTo(detected.plus(Duration.ofHours(72)).toString());
      assertThat(incident.at("/clocks/principals_due_at").asText()).isEqualTo(detected.toString());
      assertThat(incident.get("overdue").toString()).isEqualTo("[\"principals\"]");

      // another tenant: 404 everywhere, and an empty list
      assertThat(other.get("/v1/incidents/{id}", path).status()).isEqualTo(404);
      assertThat(
              other
                  .post("/v1/incidents/{id}/{step}", path + "/close", "{\"note\":\"mine now\"}")
                  .status())
          .isEqualTo(404);
      assertThat(other.get("/v1/incidents/{id}/report", path + "/report").status()).isEqualTo(404);
      assertThat(other.get("/v1/incidents", "/v1/incidents").json().get("incidents").size())
          .isZero();

      // steps
      assertPointer(
          dpo.post(
              "/v1/incidents/{id}/{step}",
              path + "/notify-authority",
              "{\"at\":\"" + future + "\"}"),
          "/at");
      assertPointer(dpo.post("/v1/incidents/{id}/{step}", path + "/close", "{}"), "/note");
      assertPointer(
          dpo.post("/v1/incidents/{id}/{step}", path + "/find-affected", "{\"actor\":\"agent-7\"}"),
          "/from");
      assertPointer(dpo.post("/v1/incidents/{id}/{step}", path + "/leak", "{}"), "{step}");
      assertThat(dpo.post("/v1/incidents/{id}/{step}", path + "/notify-principals", null).status())
          .isEqualTo(409);
      Answer found =
          dpo.post(
              "/v1/incidents/{id}/{step}",
              path + "/find-affected",
              "{\"actor\":\"agent-7\",\"category\":\"user.contact.email\",\"from\":\""
                  + start
                  + "\",\"to\":\""
                  + Instant.now().plusSeconds(5)
                  + "\"}");
      assertThat(found.status()).isEqualTo(200);
      assertThat(found.json().get("principals").asLong()).isEqualTo(2);
      Answer notified = dpo.post("/v1/incidents/{id}/{step}", path + "/notify-principals", null);
      assertThat(notified.json().get("notices").asLong()).isEqualTo(2);
      assertThat(notified.json().get("overdue").size()).isZero();
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (notices.get() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(notices.get()).isEqualTo(2); // one webhook per principal
      Thread.sleep(200);
      JsonNode tracked = dpo.get("/v1/incidents/{id}/notices", path + "/notices").json();
      List<String> statuses = new ArrayList<>();
      tracked
          .get("notices")
          .forEach(n -> statuses.add(n.get("subject").asText() + "=" + n.get("status").asText()));
      assertThat(statuses).containsExactly("user-1=DELIVERED", "user-2=DELIVERED");
      assertThat(dpo.get("/v1/incidents/{id}", path).json().get("delivered").asLong()).isEqualTo(2);
      Answer told =
          dpo.post(
              "/v1/incidents/{id}/{step}", path + "/notify-authority", "{\"reference\":\"DPB-1\"}");
      assertThat(told.json().at("/clocks/authority_reference").asText()).isEqualTo("DPB-1");
      assertThat(dpo.post("/v1/incidents/{id}/{step}", path + "/notify-authority", "{}").status())
          .isEqualTo(409);

      // drafts
      JsonNode draft = dpo.get("/v1/incidents/{id}/report", path + "/report?format=json").json();
      List<String> provisions = new ArrayList<>();
      draft.get("sections").forEach(s -> provisions.add(s.get("provision").asText()));
      assertThat(provisions)
          .containsExactly("DPDP Rules 2025, rule 7(2)(a)", "DPDP Rules 2025, rule 7(2)(b)");
      assertThat(draft.at("/sections/0/fields/0/value").asText()).isEqualTo(HOSTILE);
      Answer html = dpo.get("/v1/incidents/{id}/report", path + "/report?format=html");
      assertThat(html.status()).isEqualTo(200);
      assertThat(html.contentType()).startsWith("text/html");
      assertThat(html.text())
          .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;friends&#34;")
          .doesNotContain("<script>");
      assertPointer(dpo.get("/v1/incidents/{id}/report", path + "/report?format=csv"), "?format");

      JsonNode shown = dpo.get("/v1/incidents/{id}", path).json();
      List<String> history = new ArrayList<>();
      shown.get("history").forEach(h -> history.add(h.get("note").asText()));
      assertThat(history)
          .containsExactly(
              "recorded (manual)",
              "2 principal(s) found in the audit log",
              "breach notices queued",
              "authority notified (DPB-1)");
      Answer closed =
          dpo.post("/v1/incidents/{id}/{step}", path + "/close", "{\"note\":\"report filed\"}");
      assertThat(closed.json().get("status").asText()).isEqualTo("CLOSED");
    } finally {
      receiver.stop(0);
    }
  }

  private static void assertPointer(Answer answer, String pointer) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(400);
    assertThat(answer.json().get("pointer").asText()).isEqualTo(pointer);
  }
}
