package dev.privacykit.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.server.ServerConfig;
import dev.privacykit.storage.Database;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's files: served with their own strict CSP, hashed assets cached, anything that is not
 * a plain file name under the console folder (dot segments, encoded or not; hidden files; unknown
 * types) a 404 problem. Raw sockets, so no client normalises the path first.
 */
class ConsoleRoutesTest {
  @TempDir Path dir;

  @Test
  void filesAreServedWithTheConsolePolicy_andNothingOutsideItIsReachable() throws Exception {
    try (Database db = Database.open(Database.inMemoryUrl("console_routes"));
        PrivacyKitServer server =
            PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), db)) {
      String page = get(server, "/console/probe.html");
      assertThat(page).startsWith("HTTP/1.1 200");
      assertThat(header(page, "Content-Security-Policy")).isEqualTo(ConsoleRoutes.CSP);
      assertThat(header(page, "Content-Type"))
          .isEqualToIgnoringWhitespace("text/html; charset=utf-8");
      assertThat(header(page, "Cache-Control")).isEqualTo("no-cache");
      assertThat(header(page, "X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(ConsoleRoutes.CSP)
          .contains("default-src 'self'", "frame-ancestors 'none'")
          .doesNotContain("unsafe");

      String script = get(server, "/console/assets/probe.js");
      assertThat(script).startsWith("HTTP/1.1 200");
      assertThat(header(script, "Content-Type"))
          .isEqualToIgnoringWhitespace("text/javascript; charset=utf-8");
      assertThat(header(script, "Cache-Control")).contains("immutable");

      String index = get(server, "/console");
      assertThat(index).startsWith("HTTP/1.1 200");
      assertThat(header(index, "Content-Security-Policy")).isEqualTo(ConsoleRoutes.CSP);
      assertThat(get(server, "/console/")).startsWith("HTTP/1.1 200");
      for (String path :
          new String[] {
            "/console/../openapi.yaml",
            "/console/%2e%2e/openapi.yaml",
            "/console/assets/%2E%2E/%2E%2E/openapi.yaml",
            "/console/assets/..%2f..%2fopenapi.yaml",
            "/console/.probe.html",
            "/console/probe.class",
            "/console/nothing-here.js",
            "/console/ConsoleRoutes.class"
          }) {
        String answer = get(server, path);
        assertThat(answer.substring(0, 12)).as(path).isIn("HTTP/1.1 404", "HTTP/1.1 400");
        assertThat(answer).as(path).doesNotContain("openapi: ").doesNotContain("CAFEBABE");
        assertThat(header(answer, "Content-Type")).as(path).startsWith("application/problem+json");
      }
      // the API keeps its own, stricter policy
      assertThat(header(get(server, "/health/live"), "Content-Security-Policy"))
          .startsWith("default-src 'none'");
    }
  }

  private static String get(PrivacyKitServer server, String path) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String header(String response, String name) {
    for (String line : response.split("\r\n")) {
      if (line.isEmpty()) {
        break;
      }
      if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        return line.substring(name.length() + 1).strip();
      }
    }
    return null;
  }
}
