package dev.privacykit.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.privacykit.server.http.ServiceApiTest;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.ReplicaCatchUp;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.StreamingReplica;
import dev.privacykit.storage.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replica read path of issue 21, as far as it is built: a consent change made through a service
 * process on the primary is read on a streaming replica (made by the test with pg_basebackup) once
 * the replica has replayed the primary's WAL location taken after the change was answered ({@link
 * ReplicaCatchUp}); with replay paused the replica still shows the old state and the wait says so.
 * And the service's own replica read path ({@code database.replica_url}) on a sharded log: audit
 * listings read the replica once it has replayed the primary's position at the read, the primary
 * while it is behind, and never miss an entry. PostgreSQL only.
 */
class ReplicaReadTest {
  private static final String TENANT = "replica-read";

  @TempDir Path dir;

  @DatabaseTest(Dialect.POSTGRESQL)
  void consentChange_readOnReplica_onceReplayPassedThePrimaryLsn(TestDatabase pg) throws Exception {
    StreamingReplica.assumeAvailable();
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

  @DatabaseTest(Dialect.POSTGRESQL)
  void auditListings_readTheReplicaOnceCaughtUp_andMissNothingWhileItIsBehind(TestDatabase pg)
      throws Exception {
    StreamingReplica.assumeAvailable();
    // A schema of its own: the shard count is fixed per database at its first start.
    Map<String, String> environment =
        Map.of(
            "PRIVACYKIT_DATA_DIR",
            dir.toString(),
            "PRIVACYKIT_DATABASE_URL",
            pg.url(),
            "PRIVACYKIT_DATABASE_SCHEMA",
            pg.schema() + "_rr",
            "PRIVACYKIT_AUDIT_SHARDS",
            "2");
    try (StreamingReplica replica = StreamingReplica.start()) {
      Map<String, String> withReplica = new java.util.HashMap<>(environment);
      withReplica.put("PRIVACYKIT_DATABASE_REPLICA_URL", replica.url());
      try (ServiceProcess service = ServiceProcess.start(withReplica)) {
        java.util.List<String> tenants = java.util.List.of("rr-a", "rr-b", "rr-c", "rr-d");
        dev.privacykit.audit.ShardPlan plan = dev.privacykit.audit.ShardPlan.hashed(2);
        assertThat(tenants.stream().map(t -> plan.placement(t, java.time.Instant.now())))
            .as("the tenants are on both shards")
            .contains(0, 1);
        Map<String, String> tokens = new java.util.HashMap<>();
        for (String tenant : tenants) {
          tokens.put(tenant, ServiceApiTest.mint(dir, tenant, "backend", Scopes.ADMIN));
        }
        String prometheus = ServiceApiTest.mint(dir, "rr-a", "prometheus", Scopes.METRICS_READ);
        Map<String, Integer> appended = new java.util.HashMap<>();
        appendAndList(service, tokens, appended, 5);
        assertThat(replicaReads(service, prometheus, "replica"))
            .as("listings read on the caught-up replica")
            .isGreaterThanOrEqualTo(tenants.size());

        double fromPrimary = replicaReads(service, prometheus, "primary");
        try (Connection standby = replica.connection();
            Statement control = standby.createStatement()) {
          control.execute("SELECT pg_wal_replay_pause()");
          appendAndList(service, tokens, appended, 3); // complete, though the replica is behind
          assertThat(replicaReads(service, prometheus, "primary"))
              .as("listings read on the primary while the replica is behind")
              .isGreaterThanOrEqualTo(fromPrimary + tenants.size());
          control.execute("SELECT pg_wal_replay_resume()");
        }
        double fromReplica = replicaReads(service, prometheus, "replica");
        appendAndList(service, tokens, appended, 1);
        assertThat(replicaReads(service, prometheus, "replica")).isGreaterThan(fromReplica);
        assertThat(service.stop()).isTrue();
        assertThat(service.output()).doesNotContain("ERROR");
      }
    }
  }

  /**
   * Appends {@code count} events for each tenant, then lists each tenant's events: the listing
   * holds every one appended so far.
   */
  private static void appendAndList(
      ServiceProcess service, Map<String, String> tokens, Map<String, Integer> appended, int count)
      throws Exception {
    for (Map.Entry<String, String> tenant : tokens.entrySet()) {
      for (int i = 0; i < count; i++) {
        HttpResponse<String> one =
            ServiceHttp.post(
                service,
                tenant.getValue(),
                "/v1/audit/events",
                "{\"subject\":\"user-r\",\"action\":\"read\",\"purpose\":\"support\"}");
        assertThat(one.statusCode()).as(one.body()).isEqualTo(201);
      }
      int total = appended.merge(tenant.getKey(), count, Integer::sum);
      JsonNode listed =
          ServiceHttp.read(
              service,
              tenant.getValue(),
              "/v1/audit/events?action=read&purpose=support&limit=1000");
      assertThat(listed.get("entries")).as(tenant.getKey() + "'s listing").hasSize(total);
    }
  }

  private static double replicaReads(ServiceProcess service, String token, String source)
      throws Exception {
    String scrape = ServiceHttp.get(service, token, "/metrics").body();
    java.util.regex.Matcher line =
        java.util.regex.Pattern.compile(
                "(?m)^privacykit_audit_replica_reads_total\\{[^}]*source=\""
                    + source
                    + "\"[^}]*\\} (\\S+)$")
            .matcher(scrape);
    assertThat(line.find()).as("the replica reads metric for " + source).isTrue();
    return Double.parseDouble(line.group(1));
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
    ServiceHttp.call(
        service, token, "/v1/subjects/user-r/consents/email_marketing/" + change, body);
  }
}
