package dev.privacykit.server.http;

import static dev.privacykit.server.http.ServiceApiTest.mint;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.privacykit.server.DevIssuer;
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
 * Who wrote an audit entry, and whose data a request touched, over real HTTP on H2 and PostgreSQL:
 * entries appended over HTTP carry the submitting token in a field callers cannot set, callers
 * cannot pose as PrivacyKit's own actors or record its actions, and routes that read a subject's
 * data name that subject (a consent check as a read).
 */
class AuditAttributionTest {
  @TempDir static Path dir;

  private static PrivacyKitServer start(Database db) {
    return PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), db);
  }

  private static Client client(PrivacyKitServer server, String subject, String scopes) {
    return new Client(
        server, new OpenApiContract(OpenApi.document()), mint(dir, "demo", subject, scopes));
  }

  @DatabaseTest
  void appendedEntries_recordTheSubmittingToken_andRefuseSystemActorsAndActions(Database db)
      throws Exception {
    try (PrivacyKitServer server = start(db)) {
      Client api = client(server, "orders-backend", Scopes.ADMIN);
      String subject = "subj-" + UUID.randomUUID();
      Answer appended =
          api.post(
              "/v1/audit/events",
              "/v1/audit/events",
              "{\"actor\":\"agent-7\",\"subject\":\"" + subject + "\",\"action\":\"read\"}");
      assertThat(appended.status()).isEqualTo(201);
      JsonNode entry = entries(api, subject, "read").get(0);
      assertThat(entry.get("actor").asText()).isEqualTo("agent-7");
      assertThat(entry.get("submitted_by").asText())
          .isEqualTo(DevIssuer.ISSUER + "|orders-backend");

      Answer forged =
          api.post(
              "/v1/audit/events",
              "/v1/audit/events",
              "{\"subject\":\"" + subject + "\",\"action\":\"read\",\"submitted_by\":\"x|y\"}");
      assertThat(forged.status()).isEqualTo(400);

      Answer systemActor =
          api.post(
              "/v1/audit/events",
              "/v1/audit/events",
              "{\"actor\":\"svc:dsr\",\"subject\":\"" + subject + "\",\"action\":\"read\"}");
      assertThat(systemActor.status()).isEqualTo(400);
      assertThat(systemActor.json().get("pointer").asText()).isEqualTo("/actor");

      for (String action : new String[] {"erase", "consent_withdrawn", "dsr_fulfilled", "prune"}) {
        Answer system =
            api.post(
                "/v1/audit/events",
                "/v1/audit/events",
                "{\"subject\":\"" + subject + "\",\"action\":\"" + action + "\"}");
        assertThat(system.status()).as(action).isEqualTo(400);
        assertThat(system.json().get("pointer").asText()).isEqualTo("/action");
      }
      Answer batch =
          api.post(
              "/v1/audit/events/batch",
              "/v1/audit/events/batch",
              "{\"events\":[{\"subject\":\""
                  + subject
                  + "\",\"action\":\"write\"},{\"subject\":\""
                  + subject
                  + "\",\"action\":\"erase\"}]}");
      assertThat(batch.status()).isEqualTo(400);
      assertThat(batch.json().get("pointer").asText()).isEqualTo("/events/1/action");
      assertThat(entries(api, subject, "write").size()).as("a bad batch writes nothing").isZero();
      assertThat(entries(api, subject, "erase").size()).isZero();
    }
  }

  @DatabaseTest
  void routesThatReadASubjectsData_nameThatSubject(Database db) throws Exception {
    try (PrivacyKitServer server = start(db)) {
      Client api = client(server, "orders-backend", Scopes.ADMIN);
      String subject = "subj-" + UUID.randomUUID();
      Answer check =
          api.post(
              "/v1/consents/check",
              "/v1/consents/check",
              "{\"subject\":\"" + subject + "\",\"purposes\":[\"email_marketing\"]}");
      assertThat(check.status()).as(check.text()).isEqualTo(200);
      String checkId = check.requestId();
      // The middleware's entry is written after the answer (committed within milliseconds).
      JsonNode reads = eventually(api, subject, "read", 1);
      assertThat(reads)
          .anySatisfy(e -> assertThat(e.get("request_id").asText()).isEqualTo(checkId));
      assertThat(entries(api, subject, "write").size()).as("a check is not a write").isZero();

      // The query itself, by subject, is an access to that subject's entries.
      int before = entries(api, subject, "read").size();
      assertThat(eventually(api, subject, "read", before + 1).size()).isGreaterThan(before);

      String id =
          api.post(
                  "/v1/requests",
                  "/v1/requests",
                  "{\"subject\":\""
                      + subject
                      + "\",\"type\":\"access\",\"regime\":\"gdpr\",\"identity_verified\":true}")
              .json()
              .get("id")
              .asText();
      int readsBefore = eventually(api, subject, "read", 0).size();
      Answer pack = api.get("/v1/requests/{id}/package", "/v1/requests/" + id + "/package");
      assertThat(pack.status()).isEqualTo(200);
      assertThat(eventually(api, subject, "read", readsBefore + 2).size())
          .as("the package read and the query before it")
          .isGreaterThanOrEqualTo(readsBefore + 2);
    }
  }

  /** The entries once there are at least {@code count} (the middleware's own land after it). */
  private static JsonNode eventually(Client api, String subject, String action, int count)
      throws Exception {
    JsonNode found = entries(api, subject, action);
    for (int i = 0; i < 40 && found.size() < count; i++) {
      Thread.sleep(50);
      found = entries(api, subject, action);
    }
    return found;
  }

  private static JsonNode entries(Client api, String subject, String action) throws Exception {
    return api.get("/v1/audit/events", "/v1/audit/events?subject=" + subject + "&action=" + action)
        .json()
        .get("entries");
  }
}
