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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;

/**
 * GDPR Art. 19 and DPDP Act s.8(7)(b) over real HTTP: a webhook stands for a recipient of the
 * policy; an erasure, rectification or restriction sends it exactly one signed notice (a real local
 * receiver counts them); recipients without a webhook are listed as {@code no_endpoint}; the
 * recipient confirms with its own token ({@code requests:confirm}, {@code sub} = its policy id),
 * only its own row and only in its tenant; the fiduciary and the principal see who was told and
 * what is overdue. Every answer is checked against the OpenAPI document.
 */
class RecipientNoticesApiTest {
  @TempDir static Path dir;

  private static final String STEP = "/v1/requests/{id}/{step}";
  private static final String CONFIRM = "/v1/requests/{id}/recipients/{recipient}/confirm";
  private static final String ONE = "/v1/requests/{id}";
  private static final String NOTICES =
      "\"events\":[\"subject.erased\",\"subject.rectified\",\"processing.restricted\"]";

  private record Received(String path, String type, String body) {}

  private static void assertPointer(Answer answer, int status, String pointer) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    assertThat(answer.json().get("pointer").asText()).isEqualTo(pointer);
  }

  private static String confirmPath(String id, String recipient) {
    return "/v1/requests/" + id + "/recipients/" + recipient + "/confirm";
  }

  private static void awaitCount(List<Received> received, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (received.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    Thread.sleep(300); // a duplicate would arrive now
  }

  @DatabaseTest
  void recipientsAreTold_confirmTheirOwnNotices_andOverdueOnesAreListed(Database db)
      throws Exception {
    List<Received> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          received.add(
              new Received(
                  exchange.getRequestURI().getPath(),
                  exchange.getRequestHeaders().getFirst("PrivacyKit-Event-Type"),
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    String hooks = "http://127.0.0.1:" + receiver.getAddress().getPort();
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), db)) {
      OpenApiContract contract = new OpenApiContract(OpenApi.document());
      assertThat(server.routes()).isEqualTo(contract.operations());
      String tenant = "acme-" + db.dialect().toString().toLowerCase(Locale.ROOT);
      Client backend = new Client(server, contract, mint(dir, tenant, "shop", Scopes.ADMIN));
      Client otherBackend = backend.as(mint(dir, "beta", "shop", Scopes.ADMIN));
      Client alice = backend.as(mint(dir, tenant, "alice", Scopes.REQUESTS_SELF));
      Client carrier = backend.as(mint(dir, tenant, "carrier", Scopes.REQUESTS_CONFIRM));
      Client payments = backend.as(mint(dir, tenant, "payment_processor", Scopes.REQUESTS_CONFIRM));
      Client carrierElsewhere = backend.as(mint(dir, "beta", "carrier", Scopes.REQUESTS_CONFIRM));

      // A webhook stands for the carrier of the policy; bad registrations name their field.
      Answer hook =
          backend.post(
              "/v1/webhooks",
              "/v1/webhooks",
              "{\"url\":\""
                  + hooks
                  + "/carrier\","
                  + NOTICES
                  + ",\"policy_recipient\":\"carrier\"}");
      assertThat(hook.status()).as(hook.text()).isEqualTo(201);
      assertThat(hook.json().get("policy_recipient").asText()).isEqualTo("carrier");
      assertPointer(
          backend.post(
              "/v1/webhooks",
              "/v1/webhooks",
              "{\"url\":\"" + hooks + "/x\"," + NOTICES + ",\"policy_recipient\":\"nobody\"}"),
          400,
          "/policy_recipient");
      assertPointer(
          backend.post(
              "/v1/webhooks",
              "/v1/webhooks",
              "{\"url\":\""
                  + hooks
                  + "/x\",\"events\":[\"subject.erased\"],\"policy_recipient\":\"payment_processor\"}"),
          400,
          "/events");
      assertPointer(
          backend.post(
              "/v1/webhooks",
              "/v1/webhooks",
              "{\"url\":\"" + hooks + "/x\"," + NOTICES + ",\"policy_recipient\":\"carrier\"}"),
          409,
          "/policy_recipient");
      assertThat(
              backend
                  .post(
                      "/v1/webhooks",
                      "/v1/webhooks",
                      "{\"url\":\"" + hooks + "/host\",\"events\":[\"subject.erased\"]}")
                  .status())
          .isEqualTo(201);

      // A step that fails queues nothing: fulfil is not how an erasure is done.
      String erasure =
          alice
              .post("/v1/me/requests", "/v1/me/requests", "{\"type\":\"erasure\"}")
              .json()
              .get("id")
              .asText();
      assertThat(backend.post(STEP, "/v1/requests/" + erasure + "/fulfil", "{}").status())
          .isEqualTo(409);
      assertThat(backend.get(ONE, "/v1/requests/" + erasure).json().get("recipients").size())
          .isZero();

      Answer erased = backend.post(STEP, "/v1/requests/" + erasure + "/erase", null);
      assertThat(erased.status()).as(erased.text()).isEqualTo(200);
      awaitCount(received, 2);
      assertThat(received)
          .extracting(r -> r.path() + " " + r.type())
          .containsExactlyInAnyOrder("/carrier subject.erased", "/host subject.erased");
      Received notice =
          received.stream().filter(r -> r.path().equals("/carrier")).findFirst().orElseThrow();
      JsonNode body = Json.MAPPER.readTree(notice.body());
      assertThat(body.get("reference").asText()).isEqualTo(erasure);
      assertThat(body.get("subject").asText()).isEqualTo("alice");
      assertThat(body.get("recipient").asText()).isEqualTo("carrier");
      assertThat(body.get("confirm_path").asText()).isEqualTo(confirmPath(erasure, "carrier"));
      assertThat(body.get("purposes").toString()).isEqualTo("[\"order_fulfilment\"]");

      JsonNode recipients = backend.get(ONE, "/v1/requests/" + erasure).json().get("recipients");
      List<String> statuses = new ArrayList<>();
      recipients.forEach(
          r -> statuses.add(r.get("recipient").asText() + "=" + r.get("status").asText()));
      assertThat(statuses)
          .containsExactly(
              "ad_network=no_endpoint",
              "carrier=delivered",
              "email_service=no_endpoint",
              "payment_processor=no_endpoint",
              "tax_authority=no_endpoint");
      JsonNode toCarrier = recipients.get(1);
      assertThat(toCarrier.get("name").asText()).isEqualTo("Example Parcel GmbH");
      assertThat(toCarrier.get("event_type").asText()).isEqualTo("subject.erased");
      assertThat(
              Duration.between(
                  Instant.parse(toCarrier.get("sent_at").asText()),
                  Instant.parse(toCarrier.get("due_at").asText())))
          .isEqualTo(Duration.ofDays(30));
      assertThat(toCarrier.get("overdue").asBoolean()).isFalse();

      // The recipient confirms its own row only, in its own tenant; input is checked.
      String mine = confirmPath(erasure, "carrier");
      Answer notMine = payments.post(CONFIRM, mine, "{\"reference\":\"X\"}");
      assertThat(notMine.status()).isEqualTo(403);
      assertThat(notMine.json().get("type").asText()).endsWith("not-this-recipient");
      assertThat(carrierElsewhere.post(CONFIRM, mine, "{\"reference\":\"X\"}").status())
          .isEqualTo(404);
      assertThat(backend.post(CONFIRM, mine, "{\"reference\":\"X\"}").status())
          .as("the admin scope does not include requests:confirm")
          .isEqualTo(403);
      assertThat(carrier.get(ONE, "/v1/requests/" + erasure).status()).isEqualTo(403);
      assertThat(
              carrier
                  .post(CONFIRM, confirmPath(erasure, "payment_processor"), "{\"reference\":\"X\"}")
                  .status())
          .isEqualTo(403);
      assertPointer(carrier.post(CONFIRM, mine, "{}"), 400, "/reference");
      assertPointer(carrier.post(CONFIRM, mine, "{\"reference\":\"\"}"), 400, "/reference");
      assertPointer(carrier.post(CONFIRM, mine, "{\"reference\":5}"), 400, "/reference");
      assertPointer(
          carrier.post(CONFIRM, mine, "{\"reference\":\"a\\u0001b\"}"), 400, "/reference");
      assertPointer(
          carrier.post(CONFIRM, mine, "{\"reference\":\"" + "r".repeat(257) + "\"}"),
          400,
          "/reference");
      assertPointer(carrier.post(CONFIRM, mine, "{\"reference\":\"a\",\"at\":1}"), 400, "/at");
      assertThat(
              carrier
                  .post(
                      CONFIRM,
                      "/v1/requests/" + java.util.UUID.randomUUID() + "/recipients/carrier/confirm",
                      "{\"reference\":\"X\"}")
                  .status())
          .isEqualTo(404);
      Answer confirmed = carrier.post(CONFIRM, mine, "{\"reference\":\"DEL-7\"}");
      assertThat(confirmed.status()).as(confirmed.text()).isEqualTo(200);
      assertThat(confirmed.json().get("status").asText()).isEqualTo("confirmed");
      assertThat(confirmed.json().get("reference").asText()).isEqualTo("DEL-7");
      Answer again = carrier.post(CONFIRM, mine, "{\"reference\":\"DEL-7\"}");
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.json()).isEqualTo(confirmed.json());
      assertPointer(carrier.post(CONFIRM, mine, "{\"reference\":\"DEL-8\"}"), 409, "/reference");
      // A recipient without a webhook, told by hand, confirms with its own token too.
      assertThat(
              payments
                  .post(
                      CONFIRM, confirmPath(erasure, "payment_processor"), "{\"reference\":\"P-1\"}")
                  .json()
                  .get("status")
                  .asText())
          .isEqualTo("confirmed");

      // Overdue once the period has run (the due dates are moved back in the database).
      assertThat(
              backend
                  .get("/v1/requests", "/v1/requests?recipients_overdue=true")
                  .json()
                  .get("requests")
                  .size())
          .isZero();
      try (Connection c = db.dataSource().getConnection();
          PreparedStatement s =
              c.prepareStatement(
                  "UPDATE dsr_recipient_notices SET due_at = due_at - INTERVAL '31' DAY"
                      + " WHERE request_id = ?")) {
        s.setString(1, erasure);
        assertThat(s.executeUpdate()).isEqualTo(5);
      }
      JsonNode late =
          backend
              .get("/v1/requests", "/v1/requests?recipients_overdue=true")
              .json()
              .get("requests");
      assertThat(late.findValuesAsText("id")).containsExactly(erasure);
      List<String> overdue = new ArrayList<>();
      late.get(0)
          .get("recipients")
          .forEach(
              r -> overdue.add(r.get("recipient").asText() + "=" + r.get("overdue").asBoolean()));
      assertThat(overdue)
          .containsExactly(
              "ad_network=true",
              "carrier=false",
              "email_service=true",
              "payment_processor=false",
              "tax_authority=true");
      assertThat(
              otherBackend
                  .get("/v1/requests", "/v1/requests?recipients_overdue=true")
                  .json()
                  .get("requests")
                  .size())
          .isZero();
      assertPointer(
          backend.get("/v1/requests", "/v1/requests?recipients_overdue=true&due_within_days=3"),
          400,
          "?due_within_days");
      assertPointer(
          backend.get("/v1/requests", "/v1/requests?recipients_overdue=yes"),
          400,
          "?recipients_overdue");

      // The principal sees who was told, by name, and what is overdue; no references or event ids.
      JsonNode own = alice.get("/v1/me/requests/{id}", "/v1/me/requests/" + erasure).json();
      JsonNode told = own.get("recipients").get(1);
      assertThat(told.get("name").asText()).isEqualTo("Example Parcel GmbH");
      assertThat(told.get("status").asText()).isEqualTo("confirmed");
      assertThat(told.has("reference")).isFalse();
      assertThat(told.has("event_id")).isFalse();
      assertThat(own.get("recipients").get(0).get("overdue").asBoolean()).isTrue();
      assertThat(own.get("history").findValuesAsText("note"))
          .contains("recipient carrier confirmed", "recipient payment_processor confirmed");

      // A restriction reaches only the recipients of its purposes, once.
      String restriction =
          alice
              .post(
                  "/v1/me/requests",
                  "/v1/me/requests",
                  "{\"type\":\"restriction\",\"purposes\":[\"order_fulfilment\"]}")
              .json()
              .get("id")
              .asText();
      backend.post(STEP, "/v1/requests/" + restriction + "/fulfil", "{\"note\":\"held\"}");
      awaitCount(received, 3);
      assertThat(received.stream().filter(r -> r.path().equals("/carrier")).map(Received::type))
          .containsExactly("subject.erased", "processing.restricted");
      assertThat(
              backend
                  .get(ONE, "/v1/requests/" + restriction)
                  .json()
                  .get("recipients")
                  .findValuesAsText("recipient"))
          .containsExactly("carrier", "payment_processor");
      assertThat(
              carrierElsewhere
                  .post(CONFIRM, confirmPath(restriction, "carrier"), "{\"reference\":\"R\"}")
                  .status())
          .isEqualTo(404);
    } finally {
      receiver.stop(0);
    }
  }
}
