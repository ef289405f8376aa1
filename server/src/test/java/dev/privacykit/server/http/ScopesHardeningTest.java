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
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a low-privilege token may not do, over HTTP: assert the roles a decision depends on, or use
 * deterministic encryption and blind-index terms (equality oracles) with only the randomized
 * encryption scope.
 */
class ScopesHardeningTest {
  @TempDir static Path dir;

  private static Client client(PrivacyKitServer server, String subject, String scopes) {
    return new Client(
        server, new OpenApiContract(OpenApi.document()), mint(dir, "demo", subject, scopes));
  }

  @DatabaseTest
  void actorRoles_comeFromTheToken_unlessAssertingThemIsGranted_andRecorded(Database db)
      throws Exception {
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), db)) {
      String subject = "subj-" + UUID.randomUUID();
      String body =
          "{\"subject\":\""
              + subject
              + "\",\"purposes\":[\"order_fulfilment\"],\"actor_roles\":[\"orders\"]}";
      Client reader = client(server, "reader", Scopes.CONSENTS_READ);
      Answer refused = reader.post("/v1/consents/check", "/v1/consents/check", body);
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.json().get("pointer").asText()).isEqualTo("/actor_roles");

      Client backend = client(server, "backend", Scopes.CONSENTS_READ + "," + Scopes.ROLES_ASSERT);
      Answer asserted = backend.post("/v1/consents/check", "/v1/consents/check", body);
      assertThat(asserted.status()).isEqualTo(200);
      Client auditor = client(server, "auditor", Scopes.AUDIT_READ);
      JsonNode entries =
          auditor
              .get("/v1/audit/events", "/v1/audit/events?subject=" + subject + "&action=read")
              .json()
              .get("entries");
      assertThat(entries)
          .anySatisfy(
              e -> {
                assertThat(e.get("request_id").asText()).isEqualTo(asserted.requestId());
                assertThat(e.get("actor_role").asText()).isEqualTo("asserted:orders");
              });
    }
  }

  @DatabaseTest
  void equalityOracles_needTheDeterministicScope(Database db) throws Exception {
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), db)) {
      Client randomizedOnly = client(server, "app", Scopes.CRYPTO_ENCRYPT);
      String deterministic =
          "{\"plaintext\":\"alice@example.com\",\"table\":\"users\",\"column\":\"email\","
              + "\"deterministic\":true}";
      String term = "{\"value\":\"alice@example.com\",\"table\":\"users\",\"column\":\"email\"}";
      assertThat(
              randomizedOnly
                  .post("/v1/crypto/encrypt", "/v1/crypto/encrypt", deterministic)
                  .status())
          .isEqualTo(403);
      assertThat(
              randomizedOnly
                  .post("/v1/crypto/blind-index", "/v1/crypto/blind-index", term)
                  .status())
          .isEqualTo(403);
      assertThat(
              randomizedOnly
                  .post(
                      "/v1/crypto/encrypt",
                      "/v1/crypto/encrypt",
                      "{\"plaintext\":\"x\",\"table\":\"users\",\"column\":\"email\",\"row_id\":\"1\"}")
                  .status())
          .isEqualTo(200);
      Client search =
          client(server, "search", Scopes.CRYPTO_ENCRYPT + "," + Scopes.CRYPTO_DETERMINISTIC);
      assertThat(search.post("/v1/crypto/encrypt", "/v1/crypto/encrypt", deterministic).status())
          .isEqualTo(200);
      assertThat(search.post("/v1/crypto/blind-index", "/v1/crypto/blind-index", term).status())
          .isEqualTo(200);

      // a call that names a subject is recorded in that subject's access history, per item
      String subject = "subj-" + UUID.randomUUID();
      Answer lookup =
          search.post(
              "/v1/crypto/blind-index/batch",
              "/v1/crypto/blind-index/batch",
              "{\"items\":[{\"value\":\"alice@example.com\",\"table\":\"users\","
                  + "\"column\":\"email\",\"subject\":\""
                  + subject
                  + "\",\"purpose\":\"support\"},{\"value\":\"bob@example.com\","
                  + "\"table\":\"users\",\"column\":\"email\"}]}");
      assertThat(lookup.status()).isEqualTo(200);
      Answer stored =
          search.post(
              "/v1/crypto/encrypt",
              "/v1/crypto/encrypt",
              "{\"plaintext\":\"alice@example.com\",\"table\":\"users\",\"column\":\"email\","
                  + "\"deterministic\":true,\"subject\":\""
                  + subject
                  + "\"}");
      assertThat(stored.status()).isEqualTo(200);
      JsonNode entries =
          client(server, "auditor", Scopes.AUDIT_READ)
              .get("/v1/audit/events", "/v1/audit/events?subject=" + subject)
              .json()
              .get("entries");
      assertThat(entries)
          .anySatisfy(
              e -> {
                assertThat(e.get("action").asText()).isEqualToIgnoringCase("read");
                assertThat(e.get("purpose").asText()).isEqualTo("support");
                assertThat(e.get("request_id").asText()).isEqualTo(lookup.requestId());
                assertThat(e.get("actor").asText()).isEqualTo("search");
              })
          .anySatisfy(
              e -> {
                assertThat(e.get("action").asText()).isEqualToIgnoringCase("write");
                assertThat(e.get("request_id").asText()).isEqualTo(stored.requestId());
              });
    }
  }

  @DatabaseTest
  void verify_byATenantToken_saysOnlyWhetherTheLogIsIntact(Database db) throws Exception {
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), db)) {
      Answer tenant =
          client(server, "dpo", Scopes.AUDIT_READ)
              .post("/v1/audit/verify", "/v1/audit/verify", null);
      assertThat(tenant.status()).isEqualTo(200);
      assertThat(tenant.json().get("ok").asBoolean()).isTrue();
      assertThat(tenant.json().has("entries")).as("other tenants' volume").isFalse();
      assertThat(tenant.json().has("failure")).isFalse();
      Answer admin =
          client(server, "operator", Scopes.ADMIN)
              .post("/v1/audit/verify", "/v1/audit/verify", null);
      assertThat(admin.json().get("entries").asLong()).isPositive();
    }
  }
}
