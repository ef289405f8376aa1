package dev.privacykit.server.http;

import static dev.privacykit.server.http.ServiceApiTest.mint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.privacykit.audit.Checkpoint;
import dev.privacykit.consent.Webhooks;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.server.HostDataSettings;
import dev.privacykit.server.MainTest;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.Setting;
import dev.privacykit.server.http.ServiceApiTest.Answer;
import dev.privacykit.server.http.ServiceApiTest.Client;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The record of processing activities and portability over real HTTP, on H2 and PostgreSQL, every
 * JSON answer validated against the served OpenAPI document; the host backend's data fetched from a
 * real local HTTP server, including a slow one and one that answers too much.
 */
public class RecordsAndPortabilityApiTest {
  private static final String SECRET = "host-data-secret-0123456789abcdef";
  private static final String RECORDS = "/v1/reports/records-of-processing";
  private static final String PACKAGE = "/v1/requests/{id}/package";

  @TempDir static Path dir;

  private static PrivacyKitServer start(Database db, Map<Setting, String> settings) {
    Map<Setting, String> all = new java.util.EnumMap<>(Setting.class);
    all.put(Setting.DATA_DIR, dir.toString());
    all.put(Setting.PORT, "0");
    all.putAll(settings);
    return PrivacyKitServer.start(ServerConfig.load(null, Map.of(), all), db);
  }

  private static Client client(PrivacyKitServer server, String tenant, String scopes) {
    return new Client(
        server, new OpenApiContract(OpenApi.document()), mint(dir, tenant, "backend", scopes));
  }

  @DatabaseTest
  void records_holdEveryPurposeTransferAndTheCheckpoint_andHtmlEncodesHostilePolicyText(Database db)
      throws Exception {
    String hostile =
        PolicyPacks.text("gdpr.yaml")
            .replace("name: Example Shop GmbH", "name: \"<script>alert(1)</script> GmbH\"")
            .replace(
                "  - Backups encrypted and kept in the EU", "  - \"<img src=x onerror=alert(2)>\"");
    Path policy = dir.resolve("hostile.yaml");
    Files.writeString(policy, hostile);
    try (PrivacyKitServer server = start(db, Map.of(Setting.POLICY_FILE, policy.toString()))) {
      Client api = client(server, "records", Scopes.ADMIN);
      for (int i = 0; i < 3; i++) {
        assertThat(
                api.post(
                        "/v1/audit/events",
                        "/v1/audit/events",
                        "{\"subject\":\"user-1\",\"action\":\"disclose\",\"purpose\":\"email_marketing\","
                            + "\"categories\":[\"user.contact.email\"],\"recipient\":\"email_service\"}")
                    .status())
            .isEqualTo(201);
      }
      Answer json = api.get(RECORDS, RECORDS);
      assertThat(json.status()).isEqualTo(200);
      JsonNode record = json.json();
      assertThat(record.get("tenant").asText()).isEqualTo("records");
      assertThat(record.at("/controller/name").asText())
          .isEqualTo("<script>alert(1)</script> GmbH");
      assertThat(record.get("activities").findValuesAsText("purpose"))
          .containsExactlyElementsOf(PolicyPacks.gdpr().purposes().keySet());
      assertThat(record.get("recipients").findValuesAsText("country"))
          .containsExactly("NL", "DE", "IE", "null", "US");
      assertThat(record.at("/transfers/0/recipient").asText()).isEqualTo("email_service");
      assertThat(record.at("/transfers/0/safeguard").asText()).isEqualTo("sccs");
      assertThat(record.get("transfers").size()).isEqualTo(1);
      JsonNode bookkeeping = record.at("/activities/1");
      assertThat(bookkeeping.at("/retention/0/period").asText()).isEqualTo("P10Y");
      // the disclosures appended above, and the service's own entries (no purpose) of each call
      List<String> rows = new java.util.ArrayList<>();
      record.at("/processing/rows").forEach(r -> rows.add(r.toString()));
      assertThat(rows)
          .contains(
              "{\"purpose\":\"email_marketing\",\"category\":\"user.contact.email\","
                  + "\"recipient\":\"email_service\",\"entries\":3}")
          .allSatisfy(r -> assertThat(r).matches("\\{\"purpose\":(\"email_marketing\"|null),.*"));
      JsonNode checkpoint = record.at("/processing/checkpoint");
      assertThat(
              Checkpoint.verify(
                      checkpoint.get("note").asText(), checkpoint.get("verifier_key").asText())
                  .size())
          .isEqualTo(checkpoint.get("size").asLong())
          .isPositive();

      Answer html = api.get(RECORDS, RECORDS + "?format=html");
      assertThat(html.status()).isEqualTo(200);
      assertThat(html.contentType()).startsWith("text/html");
      assertThat(html.text())
          .contains("&lt;script&gt;alert(1)&lt;/script&gt; GmbH")
          .contains("&lt;img src=x onerror=alert(2)&gt;")
          .contains("sccs (GDPR Art. 46(2)(c) standard data protection clauses)")
          .doesNotContain("<script>")
          .doesNotContain("<img");

      Answer csv = api.get(RECORDS, RECORDS + "?format=csv");
      assertThat(csv.status()).isEqualTo(400);
      assertThat(csv.json().get("pointer").asText()).isEqualTo("?format");
      Answer backwards =
          api.get(RECORDS, RECORDS + "?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z");
      assertThat(backwards.status()).isEqualTo(400);
      assertThat(backwards.json().get("pointer").asText()).isEqualTo("?from");
      Answer future = api.get(RECORDS, RECORDS + "?from=" + Instant.now().plusSeconds(3600));
      assertThat(future.status()).isEqualTo(400); // from after the default to (now)

      Answer otherTenant = client(server, "beta", Scopes.AUDIT_READ).get(RECORDS, RECORDS);
      assertThat(otherTenant.status()).isEqualTo(200);
      assertThat(otherTenant.json().at("/processing/rows").findValuesAsText("recipient"))
          .doesNotContain("email_service"); // the records tenant's disclosures are not beta's
      assertThat(client(server, "records", Scopes.CONSENTS_READ).get(RECORDS, RECORDS).status())
          .isEqualTo(403);
    }
  }

  /** A local host backend: one path per behaviour, recording what it was asked. */
  static final class HostBackend implements AutoCloseable {
    final HttpServer server;
    final List<String> asked = new CopyOnWriteArrayList<>();

    HostBackend() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/ok", this::ok);
      server.createContext(
          "/slow",
          exchange -> {
            try {
              Thread.sleep(3_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            answer(exchange, 200, "{\"sections\":[]}");
          });
      server.createContext(
          "/big",
          exchange ->
              answer(
                  exchange,
                  200,
                  "{\"sections\":[{\"name\":\"blob\",\"columns\":[\"x\"],\"rows\":[[\""
                      + "a".repeat(200_000)
                      + "\"]]}]}"));
      server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
      server.start();
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void ok(HttpExchange exchange) throws IOException {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String signature = exchange.getRequestHeaders().getFirst("PrivacyKit-Signature");
      if (!Webhooks.verifySignature(
          SECRET, signature, body, Instant.now(), Duration.ofMinutes(5))) {
        answer(exchange, 401, "{}");
        return;
      }
      asked.add(body);
      JsonNode request = Json.MAPPER.readTree(body);
      String subject = request.get("subject").asText();
      answer(
          exchange,
          200,
          "{\"sections\":[{\"name\":\"orders\",\"columns\":[\"id\",\"shipped_to\",\"total\"],"
              + "\"rows\":[[\"o-1\",\"address of "
              + subject
              + "\",12.5],[\"o-2\",null,true]]}]}");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (var out = exchange.getResponseBody()) {
        out.write(bytes);
      } catch (IOException e) {
        // the caller gave up (too large, too slow): nothing to do
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static String request(Client api, String subject, String type) throws Exception {
    Answer made =
        api.post(
            "/v1/requests",
            "/v1/requests",
            "{\"subject\":\""
                + subject
                + "\",\"type\":\""
                + type
                + "\",\"identity_verified\":true}");
    assertThat(made.status()).isEqualTo(201);
    return made.json().get("id").asText();
  }

  @DatabaseTest
  void portability_andTheHostBackendsData_overHttp(Database db) throws Exception {
    try (HostBackend host = new HostBackend();
        PrivacyKitServer server =
            start(
                db,
                Map.of(
                    Setting.HOST_DATA_URLS,
                    "acme="
                        + host.url("/ok")
                        + ",slowco="
                        + host.url("/slow")
                        + ",bigco="
                        + host.url("/big"),
                    Setting.HOST_DATA_SECRET,
                    SECRET,
                    Setting.HOST_DATA_TIMEOUT_MS,
                    "500",
                    Setting.HOST_DATA_MAX_BYTES,
                    "65536",
                    Setting.INSECURE_HOST_DATA_HTTP,
                    "true"))) {
      Client acme = client(server, "acme", Scopes.ADMIN);
      String consent = "/v1/subjects/{subject}/consents/{purpose}/{action}";
      assertThat(
              acme.post(
                      consent,
                      "/v1/subjects/user-7/consents/email_marketing/give",
                      "{\"notice_version\":2,\"language\":\"en\"}")
                  .status())
          .isEqualTo(201);
      acme.post(
          consent,
          "/v1/subjects/user-8/consents/targeted_advertising/give",
          "{\"notice_version\":2,\"language\":\"en\"}");

      String portability = request(acme, "user-7", "portability");
      Answer exported = acme.get(PACKAGE, "/v1/requests/" + portability + "/package?format=json");
      assertThat(exported.status()).isEqualTo(200);
      JsonNode json = exported.json();
      assertThat(json.get("format").asText()).isEqualTo("privacykit-portability/1");
      assertThat(json.get("complete").asBoolean()).isTrue();
      assertThat(json.at("/provided/consent_choices").findValuesAsText("purpose"))
          .containsExactly("email_marketing");
      assertThat(json.at("/host_data/0/contributor").asText()).isEqualTo("host");
      assertThat(json.at("/host_data/0/sections/0/rows/0").toString())
          .isEqualTo("{\"id\":\"o-1\",\"shipped_to\":\"address of user-7\",\"total\":\"12.5\"}");
      assertThat(json.at("/host_data/0/sections/0/rows/1/shipped_to").isNull()).isTrue();
      assertThat(exported.text())
          .doesNotContain("user-8")
          .doesNotContain("targeted_advertising")
          .doesNotContain("access_log");
      assertThat(host.asked)
          .containsExactly("{\"tenant\":\"acme\",\"subject\":\"user-7\",\"type\":\"portability\"}");
      Answer csv = acme.get(PACKAGE, "/v1/requests/" + portability + "/package?format=csv");
      assertThat(csv.text())
          .startsWith("source,section,record,field,value\r\n")
          .contains("host:host,orders,1,shipped_to,address of user-7\r\n")
          .contains("privacykit,consent_choices,1,choice,GIVEN\r\n");

      String access = request(acme, "user-7", "access");
      JsonNode pkg = acme.get(PACKAGE, "/v1/requests/" + access + "/package").json();
      assertThat(pkg.get("complete").asBoolean()).isTrue();
      assertThat(pkg.at("/host_data/0/status").asText()).isEqualTo("included");
      assertThat(pkg.at("/access_log/entries").size()).isPositive();
      assertThat(host.asked).last().asString().contains("\"type\":\"access\"");

      Client slow = client(server, "slowco", Scopes.ADMIN);
      String slowRequest = request(slow, "user-7", "access");
      long started = System.nanoTime();
      Answer late = slow.get(PACKAGE, "/v1/requests/" + slowRequest + "/package");
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isLessThan(Duration.ofMillis(2_500));
      assertThat(late.status()).isEqualTo(200);
      assertThat(late.json().get("complete").asBoolean()).isFalse();
      assertThat(late.json().at("/host_data/0/status").asText()).isEqualTo("missing");
      assertThat(late.json().at("/host_data/0/reason").asText()).isEqualTo("timeout");

      Client big = client(server, "bigco", Scopes.ADMIN);
      String bigRequest = request(big, "user-7", "portability");
      JsonNode tooMuch = big.get(PACKAGE, "/v1/requests/" + bigRequest + "/package").json();
      assertThat(tooMuch.get("complete").asBoolean()).isFalse();
      assertThat(tooMuch.at("/host_data/0/reason").asText()).isEqualTo("too_large");

      Client plain = client(server, "plainco", Scopes.ADMIN);
      String plainRequest = request(plain, "user-7", "portability");
      JsonNode none = plain.get(PACKAGE, "/v1/requests/" + plainRequest + "/package").json();
      assertThat(none.get("complete").asBoolean()).isTrue();
      assertThat(none.get("host_data").size()).isZero();
      assertThat(none.at("/provided/consent_choices").size())
          .isZero(); // acme's user-7 is not plainco's

      // one tenant's token never reaches another tenant's request, nor its host backend
      assertThat(plain.get(PACKAGE, "/v1/requests/" + portability + "/package").status())
          .isEqualTo(404);
      assertThat(host.asked).allSatisfy(b -> assertThat(b).contains("\"tenant\":\"acme\""));
    }
  }

  @Test
  void cli_auditRecords_printsTheRecord(@TempDir Path data) throws Exception {
    MainTest.Result json =
        MainTest.run("audit", "records", "--tenant", "acme", "--data-dir", data.toString());
    assertThat(json.code()).as(json.err()).isZero();
    JsonNode record = Json.MAPPER.readTree(json.out());
    assertThat(record.get("tenant").asText()).isEqualTo("acme");
    assertThat(record.at("/transfers/0/safeguard").asText()).isEqualTo("sccs");
    assertThat(record.at("/processing/checkpoint/size").isNumber()).isTrue();
    MainTest.Result html =
        MainTest.run(
            "audit",
            "records",
            "--tenant",
            "acme",
            "--format",
            "html",
            "--data-dir",
            data.toString());
    assertThat(html.out())
        .startsWith("<!DOCTYPE html>")
        .contains("Record of processing activities");
    MainTest.Result bad =
        MainTest.run(
            "audit",
            "records",
            "--tenant",
            "acme",
            "--format",
            "csv",
            "--data-dir",
            data.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--format must be json or html");
  }

  @Test
  void hostDataSettings_refuseWhatCouldLeak() throws Exception {
    assertThatThrownBy(() -> settings("acme=http://orders.internal/data", SECRET, "false"))
        .hasMessage(
            "requests.host_data_urls (PRIVACYKIT_HOST_DATA_URLS) URLs must be https (plain http"
                + " only to a loopback address, with requests.insecure_host_data_http"
                + " (PRIVACYKIT_INSECURE_HOST_DATA_HTTP))");
    assertThatThrownBy(() -> settings("acme=http://10.0.0.5/data", SECRET, "true"))
        .hasMessageContaining("plain http only to a loopback address");
    assertThatThrownBy(() -> settings("acme=http://127.0.0.1:9/data", SECRET, "false"))
        .hasMessageContaining("URLs must be https");
    assertThatThrownBy(() -> settings("acme=https://user:pw@orders.example/data", SECRET, "false"))
        .hasMessage(
            "requests.host_data_urls (PRIVACYKIT_HOST_DATA_URLS) URLs need a host, and no user"
                + " info or fragment");
    assertThatThrownBy(() -> settings("acme=https://orders.example/data", "short", "false"))
        .hasMessage(
            "requests.host_data_secret (PRIVACYKIT_HOST_DATA_SECRET) must be at least 32"
                + " characters when requests.host_data_urls (PRIVACYKIT_HOST_DATA_URLS) is set");
    assertThatThrownBy(
            () -> settings("acme=https://a.example/x,acme=https://b.example/x", SECRET, "false"))
        .hasMessageContaining("names tenant 'acme' twice");
    assertThat(settings("acme=https://orders.example/data", SECRET, "false").urls())
        .containsOnlyKeys("acme");
    assertThat(settings("acme=http://127.0.0.1:9/data", SECRET, "true").urls()).hasSize(1);
    Path yaml = dir.resolve("leaky.yaml");
    Files.writeString(yaml, "requests:\n  host_data_secret: " + SECRET + "\n");
    assertThatThrownBy(() -> ServerConfig.load(yaml, Map.of(), Map.of()))
        .hasMessageContaining("belongs in the environment");
  }

  private static HostDataSettings settings(String urls, String secret, String insecure) {
    return HostDataSettings.of(
        ServerConfig.load(
            null,
            Map.of(),
            Map.of(
                Setting.DATA_DIR,
                dir.toString(),
                Setting.HOST_DATA_URLS,
                urls,
                Setting.HOST_DATA_SECRET,
                secret,
                Setting.INSECURE_HOST_DATA_HTTP,
                insecure)));
  }
}
