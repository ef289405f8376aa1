package dev.privacykit.server.http;

import static dev.privacykit.server.http.ServiceApiTest.mint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.server.Scopes;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.Setting;
import dev.privacykit.server.http.ServiceApiTest.Answer;
import dev.privacykit.server.http.ServiceApiTest.Client;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key usage budgets are per tenant, over HTTP: one tenant that spends its budget under the current
 * key gets 503 {@code key-budget-spent}, while another tenant goes on encrypting.
 */
class KeyBudgetTest {
  @TempDir static Path dir;

  private static final String ITEM =
      "{\"plaintext\":\"+44 20 7946 0000\",\"table\":\"customers\",\"column\":\"phone\","
          + "\"row_id\":\"7\"}";

  private static Client client(PrivacyKitServer server, String tenant) {
    return new Client(
        server,
        new OpenApiContract(OpenApi.document()),
        mint(dir, tenant, "app", Scopes.CRYPTO_ENCRYPT + "," + Scopes.CRYPTO_DECRYPT));
  }

  @DatabaseTest
  void oneTenantSpendingItsBudget_leavesTheOthersEncrypting(Database db) throws Exception {
    ServerConfig config =
        new ServerConfig(
            Map.of(
                Setting.HOST, "127.0.0.1",
                Setting.PORT, "0",
                Setting.DATA_DIR, dir.toString(),
                Setting.KEY_USAGE_BUDGET, "2"));
    try (PrivacyKitServer server = PrivacyKitServer.start(config, db)) {
      Client flooder = client(server, "flooder");
      Client neighbour = client(server, "neighbour");
      Answer first = flooder.post("/v1/crypto/encrypt", "/v1/crypto/encrypt", ITEM);
      assertThat(first.status()).isEqualTo(200);
      assertThat(flooder.post("/v1/crypto/encrypt", "/v1/crypto/encrypt", ITEM).status())
          .isEqualTo(200);

      Answer spent = flooder.post("/v1/crypto/encrypt", "/v1/crypto/encrypt", ITEM);
      assertThat(spent.status()).isEqualTo(503);
      assertThat(spent.contentType()).startsWith("application/problem+json");
      assertThat(spent.json().get("type").asText()).endsWith("key-budget-spent");
      Answer batch =
          flooder.post(
              "/v1/crypto/encrypt/batch", "/v1/crypto/encrypt/batch", "{\"items\":[" + ITEM + "]}");
      assertThat(batch.status()).isEqualTo(503);

      // the neighbour has its own budget under the same key
      assertThat(neighbour.post("/v1/crypto/encrypt", "/v1/crypto/encrypt", ITEM).status())
          .isEqualTo(200);
      // and the flooder can still read what it stored
      String ciphertext = first.json().get("ciphertext").asText();
      Answer decrypted =
          flooder.post(
              "/v1/crypto/decrypt",
              "/v1/crypto/decrypt",
              "{\"ciphertext\":\""
                  + ciphertext
                  + "\",\"table\":\"customers\",\"column\":\"phone\",\"row_id\":\"7\"}");
      assertThat(decrypted.status()).isEqualTo(200);
      assertThat(decrypted.json().get("plaintext").asText()).isEqualTo("+44 20 7946 0000");
    }
  }
}
