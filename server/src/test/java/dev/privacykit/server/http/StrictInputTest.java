package dev.privacykit.server.http;

import static dev.privacykit.server.http.ServiceApiTest.mint;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strict input over HTTP: bodies must be valid UTF-8 (no silent U+FFFD), {@code null} is not
 * "absent" for a typed field, and query integers are ASCII digits. Each refusal is a 400 naming the
 * field, and stores nothing.
 */
class StrictInputTest {
  @TempDir static Path dir;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Sent(int status, JsonNode body) {}

  private static Sent send(
      PrivacyKitServer server, String token, String method, String path, byte[] body, String type)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null) {
      request.header("Content-Type", type);
    }
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    String text = response.body();
    return new Sent(response.statusCode(), text.isEmpty() ? null : JSON.readTree(text));
  }

  /** {@code before} + the raw bytes + {@code after}. */
  private static byte[] bytes(String before, int[] raw, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    for (int b : raw) {
      out.write(b);
    }
    out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  @DatabaseTest
  void badUtf8_nulls_andNonAsciiDigits_are400_andStoreNothing(Database db) throws Exception {
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), db)) {
      String token = mint(dir, "demo", "backend", Scopes.ADMIN);
      String subject = "subj-" + UUID.randomUUID();
      int[][] bad = {
        {0xC3, 0x28}, // a lead byte without its continuation
        {0xC0, 0xAF}, // an overlong '/'
        {0xED, 0xA0, 0x80}, // an encoded surrogate (CESU-8)
        {0xFF}
      };
      for (int[] raw : bad) {
        Sent sent =
            send(
                server,
                token,
                "POST",
                "/v1/audit/events",
                bytes(
                    "{\"subject\":\"" + subject + "\",\"action\":\"read\",\"purpose\":\"x",
                    raw,
                    "\"}"),
                "application/json");
        assertThat(sent.status()).as(java.util.Arrays.toString(raw)).isEqualTo(400);
        assertThat(sent.body().get("detail").asText()).contains("UTF-8");
      }
      Sent badImport =
          send(
              server,
              token,
              "POST",
              "/v1/consents/import",
              bytes(
                  "{\"subject\":\""
                      + subject
                      + "\",\"purpose\":\"email_marketing\",\"state\":"
                      + "\"GIVEN\",\"notice_version\":2,\"collected_at\":\"2026-01-01T00:00:00Z\","
                      + "\"idempotency_key\":\"k-",
                  new int[] {0xC0, 0xAF},
                  "\"}\n"),
              "application/x-ndjson");
      assertThat(badImport.status()).isEqualTo(400);

      Sent explicitNull =
          send(
              server,
              token,
              "POST",
              "/v1/audit/events",
              ("{\"subject\":\"" + subject + "\",\"action\":\"read\",\"purpose\":null}")
                  .getBytes(StandardCharsets.UTF_8),
              "application/json");
      assertThat(explicitNull.status()).isEqualTo(400);
      assertThat(explicitNull.body().get("pointer").asText()).isEqualTo("/purpose");
      Sent nullList =
          send(
              server,
              token,
              "POST",
              "/v1/audit/events",
              ("{\"subject\":\"" + subject + "\",\"action\":\"read\",\"categories\":null}")
                  .getBytes(StandardCharsets.UTF_8),
              "application/json");
      assertThat(nullList.status()).isEqualTo(400);
      assertThat(nullList.body().get("pointer").asText()).isEqualTo("/categories");

      // enum values exactly as documented: no other case, no hyphen aliases, no padding
      for (String action : new String[] {"Read", "rEAD", " read", "read "}) {
        Sent sent =
            send(
                server,
                token,
                "POST",
                "/v1/audit/events",
                ("{\"subject\":\"" + subject + "\",\"action\":\"" + action + "\"}")
                    .getBytes(StandardCharsets.UTF_8),
                "application/json");
        assertThat(sent.status()).as(action).isEqualTo(400);
        assertThat(sent.body().get("pointer").asText()).isEqualTo("/action");
      }
      Sent hyphen =
          send(
              server,
              token,
              "POST",
              "/v1/subjects/" + subject + "/consents/email_marketing/give",
              "{\"notice_version\":2,\"method\":\"gpc-signal\"}".getBytes(StandardCharsets.UTF_8),
              "application/json");
      assertThat(hyphen.status()).isEqualTo(400);
      assertThat(hyphen.body().get("pointer").asText()).isEqualTo("/method");

      // ١٠ (Arabic-Indic ten) is a number to Long.parseLong, not to this API
      Sent digits = send(server, token, "GET", "/v1/audit/events?limit=%D9%A1%D9%A0", null, null);
      assertThat(digits.status()).isEqualTo(400);
      assertThat(digits.body().get("pointer").asText()).isEqualTo("?limit");

      // nothing of the refused requests was stored
      Sent entries =
          send(server, token, "GET", "/v1/audit/events?action=read&subject=" + subject, null, null);
      assertThat(entries.status()).isEqualTo(200);
      assertThat(entries.body().get("entries"))
          .noneSatisfy(e -> assertThat(e.get("actor").asText()).isEqualTo("backend"));
      Sent consent =
          send(
              server,
              token,
              "GET",
              "/v1/subjects/" + subject + "/consents/email_marketing",
              null,
              null);
      assertThat(consent.status()).isEqualTo(404);
    }
  }

  /** Sends {@code requestLine} and headers over a plain socket; returns the whole answer. */
  private static String raw(PrivacyKitServer server, String requestLine, String headers)
      throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              (requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers + "\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @DatabaseTest
  void whatTheHttpServerRefusesBeforeRouting_isAProblemToo(Database db) throws Exception {
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), db)) {
      String auth = "Authorization: Bearer " + mint(dir, "demo", "backend", Scopes.ADMIN) + "\r\n";
      // a query parameter that does not decode is refused, not dropped (which would widen a query)
      for (String query : new String[] {"subject=%zz", "subject=%C0%AF", "limit=1%"}) {
        String answer = raw(server, "GET /v1/audit/events?" + query + " HTTP/1.1", auth);
        assertThat(answer).as(query).startsWith("HTTP/1.1 400");
        assertThat(answer).contains("application/problem+json").contains("\"pointer\":\"?");
      }
      String path = raw(server, "GET /v1/subjects/%zz/consents/email_marketing HTTP/1.1", auth);
      assertThat(path).startsWith("HTTP/1.1 400").contains("application/problem+json");
      String longUri =
          raw(server, "GET /v1/audit/events?x=" + "a".repeat(20_000) + " HTTP/1.1", auth);
      assertThat(longUri).startsWith("HTTP/1.1 414").contains("application/problem+json");
      String bigHeader =
          raw(server, "GET /health/live HTTP/1.1", "X-Big: " + "a".repeat(20_000) + "\r\n");
      assertThat(bigHeader)
          .startsWith("HTTP/1.1 431")
          .contains("application/problem+json")
          .doesNotContain("<html");
    }
  }
}
