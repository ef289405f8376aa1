package dev.privacykit.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.privacykit.server.http.ServerTest;
import dev.privacykit.server.http.ServiceApiTest;
import dev.privacykit.storage.Database;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service as a real process: started with no command, stopped by SIGTERM. */
class ProcessTest {
  @Test
  void noArguments_startsOnEmbeddedDatabase_andStopsCleanlyOnSigterm(@TempDir Path dir)
      throws Exception {
    try (ServiceProcess service =
        ServiceProcess.start(Map.of("PRIVACYKIT_DATA_DIR", dir.toString()))) {
      assertThat(ServerTest.get(service.port(), "/health/ready").statusCode()).isEqualTo(200);
      String token = ServiceApiTest.mint(dir, "demo", "backend", Scopes.AUDIT_WRITE);
      HttpResponse<String> appended =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + service.port() + "/v1/audit/events"))
                      .header("Authorization", "Bearer " + token)
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"subject\":\"user-1\",\"action\":\"read\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(appended.statusCode()).isEqualTo(201);
      assertThat(service.stop()).isTrue();
      assertThat(service.output())
          .contains("data directory: " + dir.toAbsolutePath())
          .contains("stopped")
          .doesNotContain("failed");
    }
    // The shutdown flushed the audit queue and signed a checkpoint of the whole log.
    try (Database db = Database.embedded(dir);
        Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rows =
            s.executeQuery(
                "SELECT (SELECT count(*) FROM audit_entries),"
                    + " (SELECT max(tree_size) FROM audit_checkpoints)")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong(1)).isGreaterThanOrEqualTo(2);
      assertThat(rows.getLong(2)).isEqualTo(rows.getLong(1));
    }
  }

  @Test
  void jsonLogFormat_printsOneJsonObjectPerLine(@TempDir Path dir) throws Exception {
    try (ServiceProcess service =
        ServiceProcess.start(
            Map.of("PRIVACYKIT_DATA_DIR", dir.toString(), "PRIVACYKIT_LOG_FORMAT", "json"))) {
      assertThat(service.stop()).isTrue();
      List<String> lines = service.output().lines().toList();
      assertThat(lines).isNotEmpty();
      List<String> messages = new java.util.ArrayList<>();
      for (String line : lines) {
        JsonNode event = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
        assertThat(event.isObject()).as(line).isTrue();
        assertThat(event.get("level").asText()).isIn("INFO", "WARN", "ERROR");
        assertThat(event.has("arguments")).isFalse();
        messages.add(event.get("formattedMessage").asText());
      }
      assertThat(messages).anyMatch(m -> m.startsWith("listening on http://127.0.0.1:"));
      assertThat(messages).contains("stopped");
    }
  }
}
