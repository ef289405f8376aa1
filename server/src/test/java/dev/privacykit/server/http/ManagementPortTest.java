package dev.privacykit.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.Setting;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management port serves metrics without a token, on the loopback address only, and nothing
 * else; without it, metrics need a token on the main port.
 */
class ManagementPortTest {
  @TempDir static Path dir;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> send(String method, String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @DatabaseTest
  void metrics_onTheLoopbackManagementPort_needNoToken_andNothingElseIsThere(Database db)
      throws Exception {
    ServerConfig config =
        new ServerConfig(
            Map.of(
                Setting.HOST, "127.0.0.1",
                Setting.PORT, "0",
                Setting.DATA_DIR, dir.toString(),
                Setting.MANAGEMENT_PORT, "0"));
    try (PrivacyKitServer server = PrivacyKitServer.start(config, db)) {
      int port = server.managementPort();
      assertThat(port).isPositive().isNotEqualTo(server.port());
      // bound to loopback only: not reachable on this host's other addresses
      InetAddress local = InetAddress.getLocalHost();
      if (!local.isLoopbackAddress()) {
        assertThatThrownBy(() -> new java.net.Socket(local, port).close())
            .isInstanceOf(java.io.IOException.class);
      }
      String base = "http://127.0.0.1:" + port;
      send("GET", "http://127.0.0.1:" + server.port() + "/health/live"); // one timed request
      HttpResponse<String> metrics = send("GET", base + "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type").orElse(""))
          .startsWith("text/plain; version=0.0.4");
      assertThat(metrics.body()).contains("privacykit_audit_queue_depth");
      assertThat(send("HEAD", base + "/metrics").statusCode()).isEqualTo(200);
      HttpResponse<String> post = send("POST", base + "/metrics");
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
      assertThat(send("GET", base + "/v1/consents/export").statusCode()).isEqualTo(404);
      assertThat(send("GET", base + "/health/ready").statusCode()).isEqualTo(404);
      // the main port still asks for a token
      assertThat(send("GET", "http://127.0.0.1:" + server.port() + "/metrics").statusCode())
          .isEqualTo(401);
    }
  }

  @Test
  void aManagementPortOutOfRange_isRefusedByName() {
    assertThatThrownBy(
            () ->
                new ServerConfig(
                    Map.of(Setting.DATA_DIR, dir.toString(), Setting.MANAGEMENT_PORT, "70000")))
        .hasMessageContaining("server.management_port (PRIVACYKIT_MANAGEMENT_PORT)");
  }

  @DatabaseTest
  void withoutTheSetting_thereIsNoManagementPort(Database db) {
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), db)) {
      assertThat(server.managementPort()).isEqualTo(-1);
    }
  }
}
