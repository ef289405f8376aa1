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
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-event idempotency keys on the audit append routes, over HTTP on H2 and PostgreSQL: a client
 * that lost a response and retries gets the original seqs and appends nothing; a key reused for
 * another event is 409 naming it, and a batch with one such key writes none of its events.
 */
class AuditIdempotencyTest {
  @TempDir static Path dir;

  @DatabaseTest
  void replayedKeys_giveTheOriginalSeqs_andReusedKeysAre409(Database db) throws Exception {
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), db)) {
      Client api =
          new Client(
              server,
              new OpenApiContract(OpenApi.document()),
              mint(dir, "demo", "backend", Scopes.ADMIN));
      String s = "subj-" + UUID.randomUUID();
      String event = "{\"subject\":\"" + s + "\",\"action\":\"read\",\"idempotency_key\":\"%s\"}";
      // PrivacyKit's own keys (a consent change's entry) cannot be claimed by a caller
      Answer reserved =
          api.post(
              "/v1/audit/events",
              "/v1/audit/events",
              String.format(event, "PrivacyKit:consent-event:" + UUID.randomUUID()));
      assertThat(reserved.status()).isEqualTo(400);
      assertThat(reserved.json().get("pointer").asText()).isEqualTo("/idempotency_key");
      Answer first = api.post("/v1/audit/events", "/v1/audit/events", String.format(event, "k1"));
      Answer again = api.post("/v1/audit/events", "/v1/audit/events", String.format(event, "k1"));
      assertThat(again.json().get("seq")).isEqualTo(first.json().get("seq"));

      String other = "{\"subject\":\"" + s + "\",\"action\":\"write\",\"idempotency_key\":\"k1\"}";
      Answer conflict = api.post("/v1/audit/events", "/v1/audit/events", other);
      assertThat(conflict.status()).isEqualTo(409);
      assertThat(conflict.json().get("pointer").asText()).isEqualTo("/idempotency_key");

      String batch =
          "{\"events\":["
              + String.format(event, "k1")
              + ","
              + String.format(event, "k2")
              + ","
              + String.format(event, "k2")
              + "]}";
      Answer appended = api.post("/v1/audit/events/batch", "/v1/audit/events/batch", batch);
      assertThat(appended.status()).isEqualTo(201);
      var seqs = appended.json().get("seqs");
      assertThat(seqs.get(0)).isEqualTo(first.json().get("seq"));
      assertThat(seqs.get(2)).isEqualTo(seqs.get(1));
      Answer replayed = api.post("/v1/audit/events/batch", "/v1/audit/events/batch", batch);
      assertThat(replayed.json().get("seqs")).isEqualTo(seqs);

      String bad =
          "{\"events\":[" + String.format(event, "k3") + "," + other.replace("k1", "k2") + "]}";
      Answer refused = api.post("/v1/audit/events/batch", "/v1/audit/events/batch", bad);
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.json().get("pointer").asText()).isEqualTo("/events/1/idempotency_key");
      assertThat(
              api.get("/v1/audit/events", "/v1/audit/events?subject=" + s + "&action=read")
                  .json()
                  .get("entries")
                  .size())
          .as("k1 and k2 once each; k3 was refused with its batch")
          .isEqualTo(2);
      Answer malformed =
          api.post("/v1/audit/events", "/v1/audit/events", String.format(event, "bad key!"));
      assertThat(malformed.status()).isEqualTo(400);
      assertThat(malformed.json().get("pointer").asText()).isEqualTo("/idempotency_key");
    }
  }
}
