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
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure reaches encryption as a service, over real HTTP: data encrypted through {@code
 * /v1/crypto} with a subject named is under that subject's key by default, and erasing the subject
 * makes it unreadable while everyone else's data still reads.
 */
class CryptoErasureTest {
  @TempDir static Path dir;

  private static final String ENCRYPT = "/v1/crypto/encrypt";
  private static final String DECRYPT = "/v1/crypto/decrypt";

  private static String item(String row, String extra) {
    return "{\"table\":\"users\",\"column\":\"phone\",\"row_id\":\"" + row + "\"" + extra + "}";
  }

  private static Answer decrypt(Client api, String row, String ciphertext, String extra)
      throws Exception {
    return api.post(DECRYPT, DECRYPT, item(row, ",\"ciphertext\":\"" + ciphertext + "\"" + extra));
  }

  @DatabaseTest
  void subjectKeyByDefault_andErasureMakesOnlyThatSubjectsDataUnreadable(Database db)
      throws Exception {
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), db)) {
      OpenApiContract contract = new OpenApiContract(OpenApi.document());
      Client api = new Client(server, contract, mint(dir, "acme", "shop", Scopes.ADMIN));
      Client beta = api.as(mint(dir, "beta", "shop", Scopes.ADMIN));

      Answer alice =
          api.post(
              ENCRYPT, ENCRYPT, item("1", ",\"subject\":\"alice\",\"plaintext\":\"+4915550001\""));
      assertThat(alice.json().get("key").asText()).isEqualTo("subject");
      String aliceCt = alice.json().get("ciphertext").asText();
      Answer aliceShared =
          api.post(
              ENCRYPT,
              ENCRYPT,
              item("1", ",\"subject\":\"alice\",\"key\":\"tenant\",\"plaintext\":\"shared\""));
      assertThat(aliceShared.json().get("key").asText()).isEqualTo("tenant");
      String bobCt =
          api.post(
                  ENCRYPT, ENCRYPT, item("2", ",\"subject\":\"bob\",\"plaintext\":\"+4915550002\""))
              .json()
              .get("ciphertext")
              .asText();
      Answer anonymous = api.post(ENCRYPT, ENCRYPT, item("3", ",\"plaintext\":\"no one\""));
      assertThat(anonymous.json().get("key").asText()).isEqualTo("tenant");

      assertThat(
              decrypt(api, "1", aliceCt, ",\"subject\":\"alice\"").json().get("plaintext").asText())
          .isEqualTo("+4915550001");
      assertThat(decrypt(api, "1", aliceCt, ",\"subject\":\"alice\",\"key\":\"subject\"").status())
          .isEqualTo(200);
      assertThat(decrypt(api, "1", aliceCt, "").status())
          .as("the tenant's key cannot read what the subject's key wrote")
          .isEqualTo(422);
      assertThat(decrypt(api, "1", aliceCt, ",\"subject\":\"bob\"").status()).isEqualTo(422);
      assertThat(decrypt(beta, "1", aliceCt, ",\"subject\":\"alice\"").status())
          .as("another tenant's token")
          .isEqualTo(422);

      // Bad combinations name their field.
      Answer noSubject =
          api.post(ENCRYPT, ENCRYPT, item("4", ",\"key\":\"subject\",\"plaintext\":\"x\""));
      assertThat(noSubject.status()).isEqualTo(400);
      assertThat(noSubject.json().get("pointer").asText()).isEqualTo("/subject");
      Answer badKey =
          api.post(ENCRYPT, ENCRYPT, item("4", ",\"key\":\"root\",\"plaintext\":\"x\""));
      assertThat(badKey.json().get("pointer").asText()).isEqualTo("/key");
      Answer deterministic =
          api.post(
              ENCRYPT,
              ENCRYPT,
              "{\"table\":\"users\",\"column\":\"email\",\"deterministic\":true,\"subject\":\"alice\","
                  + "\"key\":\"subject\",\"plaintext\":\"a@example.com\"}");
      assertThat(deterministic.status()).isEqualTo(400);
      assertThat(deterministic.json().get("pointer").asText()).isEqualTo("/key");

      // Erase alice.
      String id =
          api.post(
                  "/v1/requests",
                  "/v1/requests",
                  "{\"subject\":\"alice\",\"type\":\"erasure\",\"identity_verified\":true}")
              .json()
              .get("id")
              .asText();
      assertThat(
              api.post("/v1/requests/{id}/{step}", "/v1/requests/" + id + "/erase", null).status())
          .isEqualTo(200);

      Answer gone = decrypt(api, "1", aliceCt, ",\"subject\":\"alice\"");
      assertThat(gone.status()).isEqualTo(422);
      assertThat(gone.text()).contains("decryption failed").doesNotContain("4915550001");
      assertThat(decrypt(api, "1", aliceCt, ",\"subject\":\"alice\",\"key\":\"subject\"").status())
          .isEqualTo(422);
      assertThat(decrypt(api, "1", aliceCt, ",\"subject\":\"alice\"").status())
          .as("a read after the shred makes no new key that could be mistaken for the old")
          .isEqualTo(422);
      assertThat(decrypt(api, "2", bobCt, ",\"subject\":\"bob\"").json().get("plaintext").asText())
          .isEqualTo("+4915550002");
      assertThat(
              decrypt(
                      api,
                      "1",
                      aliceShared.json().get("ciphertext").asText(),
                      ",\"subject\":\"alice\"")
                  .json()
                  .get("plaintext")
                  .asText())
          .as("what was put under the tenant's key on purpose is not the subject's to erase")
          .isEqualTo("shared");
      // Every decrypt attempt was audited, the failures as failures.
      var entries =
          api.get("/v1/audit/events", "/v1/audit/events?subject=alice&action=decrypt")
              .json()
              .get("entries");
      assertThat(entries.size()).isEqualTo(6);
      assertThat(entries.findValuesAsText("outcome"))
          .containsExactlyInAnyOrder(
              "success", "success", "failure", "failure", "failure", "success");
    }
  }
}
