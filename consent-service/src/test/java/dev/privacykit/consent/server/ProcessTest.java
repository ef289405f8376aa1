package dev.privacykit.consent.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service as a real process: started with no command, stopped by SIGTERM. */
class ProcessTest {
  private static final Pattern LISTENING = Pattern.compile("listening on http://127.0.0.1:(\\d+)");

  @Test
  void noArguments_startsOnEmbeddedDatabase_andStopsCleanlyOnSigterm(@TempDir Path dir)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName())
            .redirectErrorStream(true);
    builder.environment().put("PRIVACYKIT_PORT", "0");
    builder.environment().put("PRIVACYKIT_DATA_DIR", dir.toString());
    builder.environment().remove("PRIVACYKIT_DATABASE_URL");
    Process process = builder.start();
    List<String> lines = new ArrayList<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  synchronized (lines) {
                    lines.add(line);
                  }
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                  }
                }
              } catch (java.io.IOException ignored) {
                // the process ended
              }
              port.completeExceptionally(new IllegalStateException("no listening line"));
            });
    reader.start();
    try {
      int listening = port.get(60, TimeUnit.SECONDS);
      assertThat(ServerTest.get(listening, "/health/ready").statusCode()).isEqualTo(200);
      // SIGTERM through the handle: Process.destroy() would also close our end of its output.
      process.toHandle().destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join(5_000);
      synchronized (lines) {
        assertThat(String.join("\n", lines))
            .contains("data directory: " + dir.toAbsolutePath())
            .contains("stopped");
      }
      assertThat(dir.resolve("privacykit.mv.db")).exists();
    } finally {
      process.destroyForcibly();
    }
  }
}
