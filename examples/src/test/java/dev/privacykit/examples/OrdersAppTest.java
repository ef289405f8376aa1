package dev.privacykit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.storage.Database;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The example as its README walks through it, over real HTTP. */
class OrdersAppTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void newsletter_needsConsent_givenAndWithdrawnThroughTheApi() throws Exception {
    Database db =
        Database.open(
            Database.inMemoryUrl("orders_" + UUID.randomUUID().toString().substring(0, 8)));
    db.migrate();
    byte[] secret = new byte[32];
    new java.security.SecureRandom().nextBytes(secret);
    Javalin app = OrdersApp.start(0, db, secret);
    try {
      String token =
          OrdersApp.token(secret, "subj_alice", "acme", "orders orders:read consents:write");
      assertThat(call(app, "GET", "/orders/42", token).statusCode()).isEqualTo(200);
      assertThat(call(app, "GET", "/newsletter/preview", token).body()).contains("no-consent");
      assertThat(call(app, "POST", "/newsletter", token).statusCode()).isEqualTo(201);
      assertThat(call(app, "GET", "/newsletter/preview", token).statusCode()).isEqualTo(200);
      assertThat(call(app, "DELETE", "/newsletter", token).statusCode()).isEqualTo(204);
      assertThat(call(app, "GET", "/newsletter/preview", token).body())
          .contains("consent-withdrawn");
      assertThat(
              call(
                      app,
                      "GET",
                      "/orders/42",
                      OrdersApp.token(new byte[32], "subj_alice", "acme", "orders:read"))
                  .statusCode())
          .isEqualTo(401);
    } finally {
      app.stop();
      db.shutdownInMemory();
    }
  }

  static HttpResponse<String> call(Javalin app, String method, String path, String token)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
            .header("Authorization", "Bearer " + token)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
