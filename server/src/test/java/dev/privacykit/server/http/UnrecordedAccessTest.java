package dev.privacykit.server.http;

import static dev.privacykit.server.http.ServiceApiTest.mint;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.http.ServiceApiTest.Answer;
import dev.privacykit.server.http.ServiceApiTest.Client;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;

/**
 * No access goes unrecorded: when the audit trail cannot take a request's entry, the request is
 * refused with 503 before it runs; and one tenant's flood takes only its share of the audit queue.
 */
class UnrecordedAccessTest {
  @TempDir static Path dir;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @DatabaseTest
  void aFloodedTenant_is503BeforeItsReadRuns_andOtherTenantsAreServed(TestDatabase test)
      throws Exception {
    if (test.dialect() != Dialect.POSTGRESQL) {
      return; // H2 gives up on the held lock after a timeout; AuditCapacityTest covers that
    }
    try (PrivacyKitServer server =
            PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), test.database());
        Connection stall = test.ownerConnection()) {
      OpenApiContract contract = new OpenApiContract(OpenApi.document());
      String scopes = Scopes.AUDIT_WRITE + "," + Scopes.CONSENTS_READ + "," + Scopes.AUDIT_READ;
      Client flood = new Client(server, contract, mint(dir, "flood", "bulk", scopes));
      Client quiet = new Client(server, contract, mint(dir, "quiet", "app", scopes));
      String read = "/v1/subjects/{subject}/consents/{purpose}";
      String path = "/v1/subjects/subj-" + UUID.randomUUID() + "/consents/email_marketing";

      // hold the tree head: nothing queued is written while it is held
      stall.setAutoCommit(false);
      try (Statement sql = stall.createStatement()) {
        sql.execute("SELECT tree_size FROM audit_state WHERE id = 1 FOR UPDATE");
      }
      // fill the flooding tenant's share exactly: batches of 1000, then smaller ones, until even
      // one entry is refused
      List<CompletableFuture<HttpResponse<String>>> appends = new ArrayList<>();
      for (int size = 1_000; size >= 1; size /= 2) {
        boolean refused = false;
        for (int i = 0; i < 60 && !refused; i++) {
          CompletableFuture<HttpResponse<String>> sent =
              HTTP.sendAsync(
                  batch(server, flood.token, size), HttpResponse.BodyHandlers.ofString());
          appends.add(sent);
          try {
            refused = sent.get(1, TimeUnit.SECONDS).statusCode() == 503;
          } catch (java.util.concurrent.TimeoutException waiting) {
            // queued behind the held lock: not answered until it is written
          }
        }
        assertThat(refused).as("batches of " + size + " are refused past the share").isTrue();
      }

      Answer refusedRead = flood.get(read, path);
      assertThat(refusedRead.status()).isEqualTo(503);
      assertThat(refusedRead.json().get("type").asText()).endsWith("audit-unavailable");
      Answer served = quiet.get(read, path);
      assertThat(served.status()).as("another tenant is served").isIn(200, 404);

      stall.rollback();
      for (CompletableFuture<HttpResponse<String>> sent : appends) {
        assertThat(sent.get(60, TimeUnit.SECONDS).statusCode()).isIn(201, 503);
      }
      // the refused read ran nothing and left no entry; the served one left its entry
      server.services().audit.sync().join();
      JsonNode floodEntries =
          flood
              .get("/v1/audit/events", "/v1/audit/events?action=read&actor=bulk&limit=1000")
              .json()
              .get("entries");
      assertThat(floodEntries)
          .noneSatisfy(
              e -> assertThat(e.get("request_id").asText()).isEqualTo(refusedRead.requestId()));
      JsonNode quietEntries =
          quiet.get("/v1/audit/events", "/v1/audit/events?action=read").json().get("entries");
      assertThat(quietEntries)
          .anySatisfy(e -> assertThat(e.get("request_id").asText()).isEqualTo(served.requestId()));
    }
  }

  private static HttpRequest batch(PrivacyKitServer server, String token, int size) {
    StringBuilder batch = new StringBuilder("{\"events\":[");
    for (int i = 0; i < size; i++) {
      batch.append(i == 0 ? "" : ",").append("{\"action\":\"read\",\"subject\":\"s").append(i);
      batch.append("\"}");
    }
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/v1/audit/events/batch"))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(batch.append("]}").toString()))
        .build();
  }
}
