package dev.privacykit.consent.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
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
      assertThat(service.stop()).isTrue();
      assertThat(service.output())
          .contains("data directory: " + dir.toAbsolutePath())
          .contains("stopped");
      assertThat(dir.resolve("privacykit.mv.db")).exists();
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
        JsonNode event = Json.MAPPER.readTree(line);
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
