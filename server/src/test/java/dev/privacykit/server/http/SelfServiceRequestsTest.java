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
import org.junit.jupiter.api.io.TempDir;

/**
 * Rights that take effect, over real HTTP: a data principal files, follows and withdraws its own
 * requests ({@code /v1/me/requests}); the fiduciary sees them in its queue; a fulfilled restriction
 * and an objection to direct marketing change what the consent check answers; nobody reads another
 * principal's requests. Every answer is checked against the OpenAPI document.
 */
class SelfServiceRequestsTest {
  @TempDir static Path dir;

  private static final String CHECK = "/v1/consents/check";
  private static final String MINE = "/v1/me/requests";
  private static final String ONE = "/v1/me/requests/{id}";
  private static final String STEP = "/v1/requests/{id}/{step}";

  private static String reason(Client backend, String subject, String purpose) throws Exception {
    return backend
        .post(
            CHECK,
            CHECK,
            "{\"subject\":\""
                + subject
                + "\",\"actor_roles\":[\"orders\"],\"purposes\":[\""
                + purpose
                + "\"]}")
        .json()
        .at("/results/" + purpose + "/reason")
        .asText();
  }

  @DatabaseTest
  void principalsFileFollowAndWithdraw_andTheirRightsReachTheConsentCheck(Database db)
      throws Exception {
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), db)) {
      OpenApiContract contract = new OpenApiContract(OpenApi.document());
      Client backend = new Client(server, contract, mint(dir, "acme", "shop", Scopes.ADMIN));
      Client alice = backend.as(mint(dir, "acme", "alice", Scopes.REQUESTS_SELF));
      Client bob = backend.as(mint(dir, "acme", "bob", Scopes.REQUESTS_SELF));
      Client aliceElsewhere = backend.as(mint(dir, "beta", "alice", Scopes.REQUESTS_SELF));

      // An objection to direct marketing holds from the moment it is filed (GDPR Art. 21(3)).
      assertThat(reason(backend, "alice", "postal_offers")).isEqualTo("lawful_basis");
      Answer objection =
          alice.post(MINE, MINE, "{\"type\":\"objection\",\"purposes\":[\"postal_offers\"]}");
      assertThat(objection.status()).isEqualTo(201);
      assertThat(objection.json().get("filed_by").asText()).isEqualTo("subject");
      assertThat(objection.json().get("status").asText()).isEqualTo("open");
      String objectionId = objection.json().get("id").asText();
      assertThat(reason(backend, "alice", "postal_offers")).isEqualTo("objection_upheld");
      assertThat(reason(backend, "bob", "postal_offers")).isEqualTo("lawful_basis");
      JsonNode held =
          backend
              .get(
                  "/v1/subjects/{subject}/consents/{purpose}",
                  "/v1/subjects/alice/consents/postal_offers")
              .json();
      assertThat(held.get("state").asText()).isEqualTo("NONE");
      assertThat(held.at("/hold/kind").asText()).isEqualTo("objection");
      Answer refused =
          backend.post(
              STEP,
              "/v1/requests/" + objectionId + "/deny",
              "{\"reason\":\"compelling_legitimate_grounds\",\"note\":\"we insist\"}");
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.json().get("detail").asText())
          .isEqualTo("an objection to direct marketing cannot be refused (GDPR Art. 21(3))");

      // A restriction filed by the principal, fulfilled by the fiduciary, then lifted after notice.
      String restrictionId =
          alice
              .post(MINE, MINE, "{\"type\":\"restriction\",\"purposes\":[\"order_fulfilment\"]}")
              .json()
              .get("id")
              .asText();
      JsonNode queue =
          backend.get("/v1/requests", "/v1/requests?due_within_days=3650").json().get("requests");
      assertThat(queue.findValuesAsText("id")).contains(objectionId, restrictionId);
      assertThat(reason(backend, "alice", "order_fulfilment")).isEqualTo("lawful_basis");
      assertThat(
              backend
                  .post(STEP, "/v1/requests/" + restrictionId + "/fulfil", "{\"note\":\"held\"}")
                  .status())
          .isEqualTo(200);
      assertThat(reason(backend, "alice", "order_fulfilment")).isEqualTo("processing_restricted");
      assertThat(reason(backend, "bob", "order_fulfilment")).isEqualTo("lawful_basis");
      assertThat(
              backend
                  .post(STEP, "/v1/requests/" + restrictionId + "/lift", "{\"reason\":\"checked\"}")
                  .status())
          .isEqualTo(200);
      assertThat(reason(backend, "alice", "order_fulfilment"))
          .as("the subject is told before the restriction is lifted (Art. 18(3))")
          .isEqualTo("processing_restricted");
      JsonNode mine = alice.get(MINE, MINE).json();
      assertThat(mine.get("requests").size()).isEqualTo(2);
      assertThat(mine.get("requests").get(0).get("id").asText()).isEqualTo(restrictionId);
      assertThat(mine.get("holds").size()).isEqualTo(2);
      assertThat(mine.get("holds").findValuesAsText("kind"))
          .containsExactlyInAnyOrder("objection", "restriction");
      assertThat(mine.get("holds").findValues("lifts_at").stream().filter(v -> !v.isNull()))
          .hasSize(1);

      // Nobody else reads them: another principal, the same name in another tenant, a backend.
      assertThat(bob.get(MINE, MINE).json().get("requests").size()).isZero();
      assertThat(bob.get(ONE, "/v1/me/requests/" + objectionId).status()).isEqualTo(404);
      assertThat(aliceElsewhere.get(ONE, "/v1/me/requests/" + objectionId).status()).isEqualTo(404);
      assertThat(
              bob.post(ONE + "/withdraw", "/v1/me/requests/" + objectionId + "/withdraw", null)
                  .status())
          .isEqualTo(404);
      assertThat(backend.get(MINE, MINE).status()).isEqualTo(403);

      // Withdrawing the objection ends its hold; a second withdrawal is refused.
      Answer withdrawn =
          alice.post(ONE + "/withdraw", "/v1/me/requests/" + objectionId + "/withdraw", null);
      assertThat(withdrawn.json().get("status").asText()).isEqualTo("withdrawn");
      assertThat(reason(backend, "alice", "postal_offers")).isEqualTo("lawful_basis");
      assertThat(
              alice
                  .post(ONE + "/withdraw", "/v1/me/requests/" + objectionId + "/withdraw", "{}")
                  .status())
          .isEqualTo(409);
      JsonNode shown = alice.get(ONE, "/v1/me/requests/" + objectionId).json();
      assertThat(shown.get("history").findValuesAsText("status"))
          .containsExactly("OPEN", "WITHDRAWN");

      // An access request: the answer is readable once the fiduciary has fulfilled it.
      String accessId = alice.post(MINE, MINE, "{\"type\":\"access\"}").json().get("id").asText();
      String pkg = "/v1/me/requests/{id}/package";
      Answer early = alice.get(pkg, "/v1/me/requests/" + accessId + "/package");
      assertThat(early.status()).isEqualTo(409);
      assertThat(early.json().get("type").asText()).endsWith("not-ready");
      backend.post(STEP, "/v1/requests/" + accessId + "/fulfil", "{\"note\":\"package ready\"}");
      Answer answer = alice.get(pkg, "/v1/me/requests/" + accessId + "/package");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.json()).isNotNull();
      assertThat(bob.get(pkg, "/v1/me/requests/" + accessId + "/package").status()).isEqualTo(404);

      // Bad input names the field and stores nothing; a principal cannot file for someone else.
      Answer unknown = alice.post(MINE, MINE, "{\"type\":\"restriction\",\"purposes\":[\"nope\"]}");
      assertThat(unknown.status()).isEqualTo(400);
      assertThat(unknown.json().get("pointer").asText()).isEqualTo("/purposes/0");
      Answer forBob = alice.post(MINE, MINE, "{\"type\":\"erasure\",\"subject\":\"bob\"}");
      assertThat(forBob.status()).isEqualTo(400);
      assertThat(forBob.json().get("pointer").asText()).isEqualTo("/subject");
      Answer nullType = alice.post(MINE, MINE, "{\"type\":null}");
      assertThat(nullType.status()).isEqualTo(400);
      assertThat(nullType.json().get("pointer").asText()).isEqualTo("/type");
      Answer purposesOnAccess =
          alice.post(MINE, MINE, "{\"type\":\"access\",\"purposes\":[\"postal_offers\"]}");
      assertThat(purposesOnAccess.json().get("pointer").asText()).isEqualTo("/purposes");
      assertThat(alice.get(MINE, MINE).json().get("requests").size()).isEqualTo(3);
      assertThat(bob.get(MINE, MINE).json().get("requests").size()).isZero();

      // Each request taken in left its audit entry, named to the principal.
      assertThat(
              backend
                  .get("/v1/audit/events", "/v1/audit/events?subject=alice&action=dsr_received")
                  .json()
                  .get("entries")
                  .size())
          .isEqualTo(3);

      // A portability export is machine-readable: JSON or CSV, never a page (GDPR Art. 20(1)).
      String portability =
          alice.post(MINE, MINE, "{\"type\":\"portability\"}").json().get("id").asText();
      backend.post(STEP, "/v1/requests/" + portability + "/fulfil", "{\"note\":\"ready\"}");
      Answer page = alice.get(pkg, "/v1/me/requests/" + portability + "/package?format=html");
      assertThat(page.status()).isEqualTo(400);
      assertThat(page.json().get("pointer").asText()).isEqualTo("?format");
      assertThat(alice.get(pkg, "/v1/me/requests/" + portability + "/package?format=csv").status())
          .isEqualTo(200);
    }
  }
}
