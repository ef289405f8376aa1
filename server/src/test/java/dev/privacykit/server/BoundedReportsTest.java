package dev.privacykit.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.server.http.ServiceApiTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports and access packages stream: a service with a 128 MiB heap serves every form of them for
 * one subject whose audit entries hold far more than that, and stays up. Holding a subject's
 * history in memory (as before) runs out of heap here.
 */
class BoundedReportsTest {
  private static final long HEAP_MIB =
      128; // the development key file alone takes 64 MiB (Argon2id)
  private static final int BODY_CHARS = 60_000;
  private static final int PER_BATCH = 15; // under the 1 MiB request limit
  private static final int ENTRIES = 167 * PER_BATCH; // 150 MB of bodies

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void reportsAndPackages_ofAHistoryLargerThanTheHeap_stream() throws Exception {
    try (ServiceProcess service =
        ServiceProcess.start(
            Map.of("PRIVACYKIT_DATA_DIR", dir.toString()),
            List.of("-Xmx" + HEAP_MIB + "m", "-XX:+ExitOnOutOfMemoryError"))) {
      String base = "http://127.0.0.1:" + service.port();
      String token =
          ServiceApiTest.mint(
              dir,
              "acme",
              "dpo",
              Scopes.AUDIT_WRITE + "," + Scopes.AUDIT_READ + "," + Scopes.REQUESTS);
      String subject = "subj-" + UUID.randomUUID();
      String body = "x".repeat(BODY_CHARS);
      for (int written = 0; written < ENTRIES; written += PER_BATCH) {
        StringBuilder batch = new StringBuilder("{\"events\":[");
        for (int i = 0; i < PER_BATCH; i++) {
          batch
              .append(i == 0 ? "" : ",")
              .append("{\"actor\":\"crm\",\"action\":\"read\",\"subject\":\"")
              .append(subject)
              .append("\",\"purpose\":\"support\",\"body\":\"")
              .append(body)
              .append("\"}");
        }
        HttpResponse<String> appended =
            http.send(
                post(base + "/v1/audit/events/batch", token, batch.append("]}").toString()),
                HttpResponse.BodyHandlers.ofString());
        assertThat(appended.statusCode()).as(appended.body()).isEqualTo(201);
      }
      long history = (long) ENTRIES * BODY_CHARS;
      assertThat(history).as("the history is larger than the heap").isGreaterThan(HEAP_MIB << 20);

      for (String format : List.of("json", "csv")) {
        Streamed report =
            get(base + "/v1/audit/reports/subjects/" + subject + "?format=" + format, token);
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.bytes()).as(format).isGreaterThan(history);
        assertThat(report.marks()).as(format + " bodies").isEqualTo(ENTRIES);
      }
      Streamed page = get(base + "/v1/audit/reports/subjects/" + subject + "?format=html", token);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.rows())
          .as("a row per entry, and the reads of the reports")
          .isGreaterThan(ENTRIES);

      HttpResponse<String> created =
          http.send(
              post(
                  base + "/v1/requests",
                  token,
                  "{\"subject\":\""
                      + subject
                      + "\",\"type\":\"access\",\"regime\":\"gdpr\",\"identity_verified\":true}"),
              HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String id = created.body().replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
      for (String format : List.of("json", "csv")) {
        Streamed pack = get(base + "/v1/requests/" + id + "/package?format=" + format, token);
        assertThat(pack.status()).isEqualTo(200);
        assertThat(pack.marks()).as("package " + format).isGreaterThanOrEqualTo(ENTRIES);
      }
      Streamed pack = get(base + "/v1/requests/" + id + "/package?format=html", token);
      assertThat(pack.status()).isEqualTo(200);
      assertThat(pack.rows()).isGreaterThan(ENTRIES);

      HttpResponse<String> ready =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(service.output()).doesNotContain("OutOfMemoryError");
    }
  }

  private static HttpRequest post(String url, String token, String json) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  /** A streamed answer: its size, how many 1000-char runs of 'x' (bodies) and table rows it had. */
  private record Streamed(int status, long bytes, long marks, long rows) {}

  private Streamed get(String url, String token) throws IOException, InterruptedException {
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    long bytes = 0;
    long marks = 0;
    long rows = 0;
    int run = 0;
    byte[] tr = "<tr>".getBytes(StandardCharsets.US_ASCII);
    int trAt = 0;
    try (InputStream in = response.body()) {
      byte[] buffer = new byte[65_536];
      for (int n; (n = in.read(buffer)) > 0; ) {
        bytes += n;
        for (int i = 0; i < n; i++) {
          byte b = buffer[i];
          run = b == 'x' ? run + 1 : 0;
          if (run == BODY_CHARS) {
            marks++;
          }
          trAt = b == tr[trAt] ? trAt + 1 : (b == tr[0] ? 1 : 0);
          if (trAt == tr.length) {
            rows++;
            trAt = 0;
          }
        }
      }
    }
    return new Streamed(response.statusCode(), bytes, marks, rows);
  }
}
