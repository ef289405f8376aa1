package dev.privacykit.server.http;

import static dev.privacykit.server.http.ServiceApiTest.mint;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.privacykit.audit.CosignerKey;
import dev.privacykit.server.MainTest;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.http.ServiceApiTest.Client;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's flow, with the real entry point: start the service, read its log's origin and
 * verifier key, run {@code privacykit witness serve} for it in another process, restart the service
 * with {@code audit.witnesses}; checkpoints come back cosigned with the witness's key, the status
 * shows them published, and {@code audit verify --trusted} accepts a checkpoint saved earlier.
 */
class WitnessServiceTest {
  private static final Pattern LISTENING =
      Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+)/add-checkpoint, key (\\S+)");

  @TempDir Path dir;

  @Test
  void checkpointsAreCosignedByAWitnessInAnotherProcess() throws Exception {
    Path data = dir.resolve("data");
    String origin;
    String logKey;
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, data, null))) {
      Client api =
          new Client(
              server,
              new OpenApiContract(OpenApi.document()),
              mint(data, "acme", "backend", Scopes.ADMIN));
      JsonNode checkpoint = api.get("/v1/audit/checkpoint", "/v1/audit/checkpoint").json();
      origin = checkpoint.get("origin").asText();
      logKey = checkpoint.get("verifier_key").asText();
      assertThat(checkpoint.get("cosignatures")).isEmpty();
    }
    Path saved = dir.resolve("trusted.checkpoint");
    MainTest.Result early = MainTest.run("audit", "checkpoint", "--data-dir", data.toString());
    assertThat(early.code()).as(early.err()).isZero();
    Files.writeString(saved, early.out()); // the output as printed: note, blank line, key

    Process witness =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    "dev.privacykit.server.Main",
                    "witness",
                    "serve",
                    "--dir",
                    dir.resolve("witness").toString(),
                    "--name",
                    "witness.test/auditor",
                    "--port",
                    "0",
                    "--log",
                    origin + "=" + logKey))
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(witness.getInputStream(), StandardCharsets.UTF_8));
      Matcher listening = null;
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          listening = m;
          break;
        }
      }
      assertThat(listening).as("the witness says where it listens").isNotNull();
      String witnessKey = listening.group(2);
      String witnesses = "http://127.0.0.1:" + listening.group(1) + "/=" + witnessKey;
      ServerConfig config =
          ServerConfig.load(
              null,
              Map.of(
                  "PRIVACYKIT_DATA_DIR",
                  data.toString(),
                  "PRIVACYKIT_PORT",
                  "0",
                  "PRIVACYKIT_AUDIT_WITNESSES",
                  witnesses,
                  "PRIVACYKIT_AUDIT_VERIFIER_KEY",
                  logKey),
              Map.of());
      try (PrivacyKitServer server = PrivacyKitServer.start(config)) {
        Client api =
            new Client(
                server,
                new OpenApiContract(OpenApi.document()),
                mint(data, "acme", "backend", Scopes.ADMIN));
        for (int i = 0; i < 5; i++) {
          api.post(
              "/v1/audit/events",
              "/v1/audit/events",
              "{\"actor\":\"agent-7\",\"subject\":\"user-" + i + "\",\"action\":\"read\"}");
        }
        JsonNode checkpoint = null;
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
          checkpoint = api.get("/v1/audit/checkpoint", "/v1/audit/checkpoint").json();
          JsonNode status = api.get("/v1/status", "/v1/status").json();
          if (checkpoint.get("cosignatures").size() == 1
              && status.at("/publication/published_size").asLong(-1)
                  == checkpoint.get("size").asLong()) {
            break;
          }
          Thread.sleep(100);
        }
        String note = checkpoint.get("note").asText();
        String line = checkpoint.get("cosignatures").get(0).asText();
        assertThat(
                CosignerKey.parse(witnessKey)
                    .verify(note.substring(0, note.indexOf("\n\n") + 1), line))
            .as("a cosignature by the witness's key over this checkpoint")
            .isPresent();
        JsonNode status = api.get("/v1/status", "/v1/status").json();
        assertThat(status.at("/publication/divergence").isNull()).isTrue();
        assertThat(status.at("/publication/witnesses/0/name").asText())
            .isEqualTo("witness.test/auditor");
        JsonNode ready = api.get("/health/ready", "/health/ready").json();
        assertThat(ready.at("/checks/publication").asText()).isEqualTo("UP");
        assertThat(ready.at("/checks/database").asText()).isEqualTo("UP");
      }
      MainTest.Result verify =
          MainTest.run(
              "audit", "verify", "--data-dir", data.toString(), "--trusted", saved.toString());
      assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
      assertThat(verify.out()).contains("audit log intact");

      // the log as static tiles, proved offline with nothing but the files and the pinned key
      Path tiles = dir.resolve("tiles");
      MainTest.Result exported =
          MainTest.run("audit", "tiles", tiles.toString(), "--data-dir", data.toString());
      assertThat(exported.code()).as(exported.err()).isZero();
      MainTest.Result proved =
          MainTest.run(
              "audit", "proof", "--tiles", tiles.toString(), "--key", logKey, "--seq", "3");
      assertThat(proved.code()).as(proved.out() + proved.err()).isZero();
      assertThat(proved.out()).startsWith("proved: entry 3 is in the log");
      MainTest.Result wrongLeaf =
          MainTest.run(
              "audit",
              "proof",
              "--tiles",
              tiles.toString(),
              "--key",
              logKey,
              "--seq",
              "3",
              "--leaf",
              "00".repeat(32));
      assertThat(wrongLeaf.code()).isEqualTo(1);
      MainTest.Result otherKey =
          MainTest.run(
              "audit",
              "proof",
              "--tiles",
              tiles.toString(),
              "--key",
              dev.privacykit.audit.CheckpointSigner.generate("privacykit-audit").verifierKey(),
              "--seq",
              "3");
      assertThat(otherKey.code()).isEqualTo(1);
      assertThat(otherKey.out()).contains("not signed by that key");
    } finally {
      witness.destroy();
      witness.waitFor();
    }
  }
}
