package dev.privacykit.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.server.http.ServiceApiTest;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hard crash can cost a read's audit entry: reads are answered once their entry is accepted
 * by the writer, so a SIGKILL under load may lose the entries of the reads answered in its last
 * moments, and no others. Measured here: the count lost and how long before the kill the oldest
 * lost read was answered (it must be within the writer's window, far under a second).
 */
class ReadDurabilityTest {
  @TempDir Path dir;

  @DatabaseTest
  void aKilledService_losesAtMostTheReadsOfItsLastMoments(TestDatabase test) throws Exception {
    if (test.dialect() != Dialect.POSTGRESQL) {
      return; // the killed service and this test share the database: PostgreSQL
    }
    ServiceProcess service =
        ServiceProcess.start(
            Map.of(
                "PRIVACYKIT_DATA_DIR", dir.toString(),
                "PRIVACYKIT_DATABASE_URL", test.url(),
                "PRIVACYKIT_DATABASE_SCHEMA", test.schema()));
    Map<String, Long> answeredAt = new ConcurrentHashMap<>();
    long killedAt;
    try {
      String base = "http://127.0.0.1:" + service.port();
      String token = ServiceApiTest.mint(dir, "demo", "reader", Scopes.ADMIN);
      HttpClient http = HttpClient.newHttpClient();
      String subject = "subj-" + UUID.randomUUID();
      String path = base + "/v1/subjects/" + subject + "/consents/email_marketing";
      HttpResponse<String> given =
          http.send(
              HttpRequest.newBuilder(URI.create(path + "/give"))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"notice_version\":2}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(given.statusCode()).as(given.body()).isEqualTo(201);
      HttpRequest read =
          HttpRequest.newBuilder(URI.create(path))
              .header("Authorization", "Bearer " + token)
              .build();
      AtomicBoolean running = new AtomicBoolean(true);
      ExecutorService readers = Executors.newFixedThreadPool(16);
      for (int i = 0; i < 16; i++) {
        readers.submit(
            () -> {
              while (running.get()) {
                try {
                  HttpResponse<Void> answer =
                      http.send(read, HttpResponse.BodyHandlers.discarding());
                  if (answer.statusCode() == 200) {
                    answer
                        .headers()
                        .firstValue("X-Request-Id")
                        .ifPresent(id -> answeredAt.put(id, System.nanoTime()));
                  }
                } catch (Exception killed) {
                  return;
                }
              }
              return;
            });
      }
      Thread.sleep(4_000);
      killedAt = System.nanoTime();
      service.close(); // SIGKILL under load: no shutdown hook, no flush
      running.set(false);
      readers.shutdown();
      assertThat(readers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      service.close();
    }
    // only answers that arrived before the kill count as acknowledged reads
    answeredAt.values().removeIf(at -> at > killedAt);
    Set<String> recorded = new HashSet<>();
    try (Connection owner = test.ownerConnection();
        Statement sql = owner.createStatement();
        ResultSet rs =
            sql.executeQuery(
                "SELECT request_id FROM audit_entries WHERE tenant = 'demo' AND action = 'READ'")) {
      while (rs.next()) {
        recorded.add(rs.getString(1));
      }
    }
    long lost = answeredAt.keySet().stream().filter(id -> !recorded.contains(id)).count();
    long oldestLostMillis =
        answeredAt.entrySet().stream()
            .filter(e -> !recorded.contains(e.getKey()))
            .mapToLong(e -> (killedAt - e.getValue()) / 1_000_000)
            .max()
            .orElse(0);
    System.out.printf(
        "read durability: %d reads answered, %d entries lost to SIGKILL, oldest lost answered %d ms"
            + " before the kill%n",
        answeredAt.size(), lost, oldestLostMillis);
    assertThat(answeredAt.size()).as("reads answered under load").isGreaterThan(200);
    assertThat(oldestLostMillis)
        .as("a lost entry belongs to a read answered in the writer's last window")
        .isLessThan(1_000);
  }
}
