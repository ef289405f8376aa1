package dev.privacykit.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.privacykit.server.http.ServiceApiTest;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.ReplicaCatchUp;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.StreamingReplica;
import dev.privacykit.storage.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replica read path of issue 21, as far as it is built: a consent change made through a service
 * process on the primary is read on a streaming replica (made by the test with pg_basebackup) once
 * the replica has replayed the primary's WAL location taken after the change was answered ({@link
 * ReplicaCatchUp}); with replay paused the replica still shows the old state and the wait says so.
 * The service itself does not yet route reads to a replica: see docs/SCALING.md. PostgreSQL only.
 */
class ReplicaReadTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String TENANT = "replica-read";

  @TempDir Path dir;

  @DatabaseTest(Dialect.POSTGRESQL)
  void consentChange_readOnReplica_onceReplayPassedThePrimaryLsn(TestDatabase pg) throws Exception {
    StreamingReplica.unavailable()
        .ifPresent(
            reason -> {
              if (TestDatabase.postgresRequired()) {
                Assertions.fail("cannot make a streaming replica: " + reason);
              }
              Assumptions.abort("cannot make a streaming replica: " + reason);
            });
    Map<String, String> environment =
        Map.of(
            "PRIVACYKIT_DATA_DIR", dir.toString(),
            "PRIVACYKIT_DATABASE_URL", pg.url(),
            "PRIVACYKIT_DATABASE_SCHEMA", pg.schema());
    try (StreamingReplica replica = StreamingReplica.start();
        ServiceProcess service = ServiceProcess.start(environment)) {
      String token = ServiceApiTest.mint(dir, TENANT, "backend", Scopes.ADMIN);
      DataSource onReplica = replica.dataSource(pg.schema());
      DataSource primary = pg.database().dataSource();

      post(service, token, "give", "{\"notice_version\":2,\"language\":\"en\"}");
      String given = ReplicaCatchUp.primaryLsn(primary);
      long start = System.nanoTime();
      assertThat(ReplicaCatchUp.waitFor(given, onReplica, Duration.ofSeconds(10))).isTrue();
      System.out.printf(
          "replica: consent given, replica caught up with %s in %d ms%n",
          given, (System.nanoTime() - start) / 1_000_000);
      assertThat(state(onReplica)).isEqualTo("GIVEN");

      try (Connection standby = onReplica.getConnection();
          Statement control = standby.createStatement()) {
        control.execute("SELECT pg_wal_replay_pause()");
        post(service, token, "withdraw", null);
        String withdrawn = ReplicaCatchUp.primaryLsn(primary);
        assertThat(ReplicaCatchUp.waitFor(withdrawn, onReplica, Duration.ofMillis(300))).isFalse();
        assertThat(state(onReplica)).as("a replica behind the change").isEqualTo("GIVEN");
        control.execute("SELECT pg_wal_replay_resume()");
        assertThat(ReplicaCatchUp.waitFor(withdrawn, onReplica, Duration.ofSeconds(10))).isTrue();
        assertThat(state(onReplica)).isEqualTo("WITHDRAWN");
      }
      assertThat(service.stop()).isTrue();
    }
  }

  /** The tenant's one consent state for email_marketing, as the given source has it. */
  private static String state(DataSource source) throws Exception {
    try (Connection connection = source.getConnection();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT state FROM consent_state WHERE tenant = ? AND purpose = 'email_marketing'")) {
      query.setString(1, TENANT);
      try (ResultSet row = query.executeQuery()) {
        assertThat(row.next()).isTrue();
        String state = row.getString(1);
        assertThat(row.next()).isFalse();
        return state;
      }
    }
  }

  private static void post(ServiceProcess service, String token, String change, String body)
      throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + service.port()
                            + "/v1/subjects/user-r/consents/email_marketing/"
                            + change))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(change + ": " + response.body()).isBetween(200, 201);
    new ObjectMapper().readTree(response.body());
  }
}
