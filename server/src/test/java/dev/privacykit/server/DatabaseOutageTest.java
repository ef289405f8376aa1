package dev.privacykit.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.server.http.PrivacyKitServer;
import dev.privacykit.server.http.ServiceApiTest;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database stopped and started under a running service (a proxy in front of PostgreSQL is cut
 * and restored): readiness says so within a second, requests that need the database are 503 with
 * Retry-After (never 500) and store nothing, and the service recovers by itself.
 */
class DatabaseOutageTest {
  @TempDir Path dir;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @DatabaseTest
  void theDatabaseStoppedAndStarted_isReportedAnd503_thenRecoveredFrom(TestDatabase test)
      throws Exception {
    if (test.dialect() != Dialect.POSTGRESQL) {
      return; // the embedded database cannot stop under the service
    }
    URI target = URI.create(test.url().substring("jdbc:".length()));
    try (TcpProxy proxy = new TcpProxy(target.getPort())) {
      String url =
          "jdbc:postgresql://127.0.0.1:"
              + proxy.port()
              + target.getPath()
              + "?"
              + target.getQuery();
      ServerConfig config =
          new ServerConfig(
              Map.of(
                  Setting.HOST,
                  "127.0.0.1",
                  Setting.PORT,
                  "0",
                  Setting.DATA_DIR,
                  dir.toString(),
                  Setting.DATABASE_URL,
                  url,
                  Setting.DATABASE_SCHEMA,
                  test.schema()));
      try (PrivacyKitServer server = PrivacyKitServer.start(config)) {
        String base = "http://127.0.0.1:" + server.port();
        String token = ServiceApiTest.mint(dir, "demo", "app", Scopes.ADMIN);
        assertThat(get(base + "/health/ready", null).statusCode()).isEqualTo(200);

        proxy.cut();
        long started = System.nanoTime();
        HttpResponse<String> ready = get(base + "/health/ready", null);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(tookMillis).as("readiness answers within about a second").isLessThan(2_000);

        String subject = "subj-" + UUID.randomUUID();
        HttpResponse<String> give =
            post(base + "/v1/subjects/" + subject + "/consents/email_marketing/give", token);
        assertThat(give.statusCode()).as(give.body()).isEqualTo(503);
        assertThat(give.headers().firstValue("Content-Type").orElse(""))
            .startsWith("application/problem+json");
        assertThat(give.headers().firstValue("Retry-After")).isPresent();

        proxy.restore();
        long deadline = System.currentTimeMillis() + 60_000;
        while (get(base + "/health/ready", null).statusCode() != 200
            && System.currentTimeMillis() < deadline) {
          Thread.sleep(200);
        }
        assertThat(get(base + "/health/ready", null).statusCode()).isEqualTo(200);
        String state = base + "/v1/subjects/" + subject + "/consents/email_marketing";
        int status = get(state, token).statusCode();
        while (status == 503 && System.currentTimeMillis() < deadline) {
          Thread.sleep(200); // the pool replaces its dropped connections
          status = get(state, token).statusCode();
        }
        assertThat(status).as("the refused change stored nothing").isEqualTo(404);
        HttpResponse<String> again =
            post(base + "/v1/subjects/" + subject + "/consents/email_marketing/give", token);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
      }
    }
  }

  private static HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String url, String token) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"notice_version\":2}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
