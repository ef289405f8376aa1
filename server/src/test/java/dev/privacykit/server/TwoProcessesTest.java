package dev.privacykit.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.privacykit.server.http.ServiceApiTest;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two service processes on one PostgreSQL schema serving the same tenant, as behind a load
 * balancer: a consent change made through one is seen by the other within a second (its cache
 * dropped by the change feed), and audit events appended through both at once form one gapless,
 * verifiable log.
 */
class TwoProcessesTest {
  private static final String CHECK = "{\"subject\":\"user-7\",\"purposes\":[\"email_marketing\"]}";

  @TempDir Path dir;

  @DatabaseTest(Dialect.POSTGRESQL)
  void twoProcesses_shareConsentsAtOnce_andOneGaplessAuditLog(TestDatabase pg) throws Exception {
    Map<String, String> environment =
        Map.of(
            "PRIVACYKIT_DATA_DIR", dir.toString(),
            "PRIVACYKIT_DATABASE_URL", pg.url(),
            "PRIVACYKIT_DATABASE_SCHEMA", pg.schema());
    // One after the other: the first creates the development keys both use.
    try (ServiceProcess a = ServiceProcess.start(environment);
        ServiceProcess b = ServiceProcess.start(environment)) {
      String token = ServiceApiTest.mint(dir, "demo", "shop-backend", Scopes.ADMIN);

      // b answers "no consent" first, so the answer is cached there before a changes it.
      assertThat(allowed(b, token)).isFalse();
      JsonNode given =
          ServiceHttp.call(
              a,
              token,
              "/v1/subjects/user-7/consents/email_marketing/give",
              "{\"notice_version\":2,\"language\":\"en\"}");
      assertThat(given.get("state").asText()).isEqualTo("GIVEN");
      assertThat(millisUntil(b, token, true)).isLessThan(1_000);

      ServiceHttp.call(b, token, "/v1/subjects/user-7/consents/email_marketing/withdraw", null);
      assertThat(millisUntil(a, token, false)).isLessThan(1_000);

      // Appends through both processes at once, single and batched.
      int rounds = 25;
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> calls = new ArrayList<>();
      Map<String, String> appends =
          Map.of(
              "/v1/audit/events",
              "{\"subject\":\"user-7\",\"action\":\"read\",\"purpose\":\"order_fulfilment\"}",
              "/v1/audit/events/batch",
              "{\"events\":[{\"subject\":\"user-7\",\"action\":\"read\"},"
                  + "{\"subject\":\"user-7\",\"action\":\"export\",\"recipient\":\"carrier\"}]}");
      for (ServiceProcess service : List.of(a, b)) {
        appends.forEach(
            (path, body) ->
                calls.add(
                    pool.submit(
                        () -> {
                          for (int i = 0; i < rounds; i++) {
                            ServiceHttp.call(service, token, path, body);
                          }
                          return null;
                        })));
      }
      for (Future<?> call : calls) {
        call.get();
      }
      pool.shutdown();

      List<Long> seqs = new ArrayList<>();
      long single;
      long batched;
      try (Connection connection = pg.ownerConnection();
          Statement statement = connection.createStatement()) {
        try (ResultSet rows =
            statement.executeQuery("SELECT seq FROM audit_entries ORDER BY seq")) {
          while (rows.next()) {
            seqs.add(rows.getLong(1));
          }
        }
        single = count(statement, "purpose = 'order_fulfilment'");
        batched = count(statement, "recipient = 'carrier'");
      }
      assertThat(seqs).isNotEmpty();
      for (int i = 0; i < seqs.size(); i++) {
        assertThat(seqs.get(i)).as("leaf index %d of %d", i, seqs.size()).isEqualTo(i);
      }
      assertThat(single).isEqualTo(2L * rounds);
      assertThat(batched).isEqualTo(2L * rounds);

      for (ServiceProcess service : List.of(a, b)) {
        JsonNode verified = ServiceHttp.call(service, token, "/v1/audit/verify", null);
        assertThat(verified.get("ok").asBoolean()).as(verified.toString()).isTrue();
        assertThat(verified.get("entries").asLong()).isGreaterThanOrEqualTo(seqs.size());
      }
      assertThat(a.stop()).isTrue();
      assertThat(b.stop()).isTrue();
      assertThat(a.output()).contains("stopped").doesNotContain("ERROR");
      assertThat(b.output()).contains("stopped").doesNotContain("ERROR");
    }
  }

  private static long count(Statement statement, String where) throws Exception {
    try (ResultSet rows =
        statement.executeQuery("SELECT count(*) FROM audit_entries WHERE " + where)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Polls {@code service}'s consent check until it answers {@code wanted}; the time it took. */
  private static long millisUntil(ServiceProcess service, String token, boolean wanted)
      throws Exception {
    long start = System.nanoTime();
    while (allowed(service, token) != wanted) {
      if (System.nanoTime() - start > 5_000_000_000L) {
        break;
      }
      Thread.sleep(10);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static boolean allowed(ServiceProcess service, String token) throws Exception {
    return ServiceHttp.call(service, token, "/v1/consents/check", CHECK).get("allowed").asBoolean();
  }
}
