package dev.privacykit.consent.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
}
