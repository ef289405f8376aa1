package dev.privacykit.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.server.Installation;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.storage.Database;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class ServerTest {
  private static final HttpClient http = HttpClient.newHttpClient();

  public static HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void embedded_health_answersLiveAndReady(@TempDir Path dir) throws Exception {
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null))) {
      assertThat(get(server.port(), "/health/live").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = get(server.port(), "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).contains("\"status\":\"UP\"");
    }
  }

  @Test
  void secondStart_sameDataDirectory_reusesTheData(@TempDir Path dir) {
    ServerConfig config = new ServerConfig("127.0.0.1", 0, dir, null);
    Installation first;
    try (PrivacyKitServer server = PrivacyKitServer.start(config)) {
      try (Database db = Database.embedded(dir.resolve("other"))) {
        db.migrate();
        assertThat(Installation.ensure(db).id()).isNotBlank();
      }
    }
    try (Database db = Database.embedded(dir)) {
      db.migrate();
      first = Installation.ensure(db);
    }
    try (PrivacyKitServer server = PrivacyKitServer.start(config)) {
      assertThat(server.port()).isPositive();
    }
    try (Database db = Database.embedded(dir)) {
      db.migrate();
      assertThat(Installation.ensure(db)).isEqualTo(first);
    }
  }

  @Test
  void ready_databaseGone_answers503WhileLiveStays200(@TempDir Path dir) throws Exception {
    Database database = Database.embedded(dir);
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), database)) {
      assertThat(get(server.port(), "/health/ready").statusCode()).isEqualTo(200);
      database.close();
      HttpResponse<String> ready = get(server.port(), "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("\"status\":\"DOWN\"");
      assertThat(get(server.port(), "/health/live").statusCode()).isEqualTo(200);
    }
  }
}
