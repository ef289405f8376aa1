package dev.privacykit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.privacykit.audit.AuditLogException;
import dev.privacykit.audit.Checkpoint;
import dev.privacykit.audit.InclusionProof;
import dev.privacykit.audit.ShardPlan;
import dev.privacykit.audit.ShardProof;
import dev.privacykit.server.http.ServiceApiTest;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three service processes on one PostgreSQL schema with {@code audit.shards: 4} (issue 21, "any
 * process appends to any shard"): events for eight tenants appended through all of them at once,
 * single and batched, one process SIGKILLed in the middle. Then every shard holds only the tenants
 * the plan places on it, is gapless with its head matching, and every acknowledged append has
 * exactly one entry, in its tenant's shard at the seq it was answered with; refused ones stored
 * nothing. A consent change's entry lands in its tenant's shard too. Over HTTP: verification spans
 * every shard, a tenant's listing holds its acknowledged events and no other tenant's (beyond them
 * only what the killed process never answered), an entry's proof (its shard's path plus the
 * top-level path) verifies offline and fails when moved to another shard, and {@code
 * /v1/audit/shards} gives each shard's and the top-level signed checkpoint. A restart with another
 * shard count is refused, naming the setting.
 *
 * <p>PostgreSQL only: several processes cannot share an H2 in-memory database.
 */
class ShardedServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> TENANTS =
      List.of("sh-a", "sh-b", "sh-c", "sh-d", "sh-e", "sh-f", "sh-g", "sh-h");
  private static final int SHARDS = 4;
  private static final ShardPlan PLAN = ShardPlan.hashed(SHARDS);
  private static final int CALLERS = 3;
  private static final int ROUNDS = 16;
  private static final int BATCH = 4;

  @TempDir static Path dir;

  /** What an acknowledged append was answered with. */
  private record Acked(String tenant, long seq) {}

  @DatabaseTest(Dialect.POSTGRESQL)
  void threeProcessesOnFourShards_oneKilled_everyShardGaplessVerifiedAndProvable(TestDatabase pg)
      throws Exception {
    Map<String, String> environment =
        Map.of(
            "PRIVACYKIT_DATA_DIR", dir.toString(),
            "PRIVACYKIT_DATABASE_URL", pg.url(),
            "PRIVACYKIT_DATABASE_SCHEMA", pg.schema(),
            "PRIVACYKIT_AUDIT_SHARDS", Integer.toString(SHARDS));
    Set<Integer> placed = new TreeSet<>();
    TENANTS.forEach(t -> placed.add(PLAN.placement(t, Instant.now())));
    assertThat(placed).as("the tenants spread over several shards").hasSizeGreaterThan(2);
    List<ServiceProcess> services = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        services.add(ServiceProcess.start(environment)); // the first makes the development keys
      }
      Map<String, String> tokens = new HashMap<>();
      for (String tenant : TENANTS) {
        tokens.put(tenant, ServiceApiTest.mint(dir, tenant, "backend", Scopes.ADMIN));
      }
      for (String tenant : TENANTS) {
        ServiceHttp.call(
            services.get(0),
            tokens.get(tenant),
            "/v1/subjects/user-1/consents/email_marketing/give",
            "{\"notice_version\":2,\"language\":\"en\"}");
      }

      Map<String, Acked> acked = new ConcurrentHashMap<>();
      Set<String> refused = ConcurrentHashMap.newKeySet();
      ServiceProcess victim = services.get(2);
      appendThroughAll(services, tokens, acked, refused, victim);
      List<ServiceProcess> survivors = services.subList(0, 2);

      assertEveryShard(pg, acked, refused);
      assertOverHttp(survivors, tokens, acked);

      for (ServiceProcess service : survivors) {
        assertThat(service.stop()).isTrue();
        assertThat(service.output()).contains("stopped").doesNotContain("ERROR");
      }
      Map<String, String> twoShards = new HashMap<>(environment);
      twoShards.put("PRIVACYKIT_AUDIT_SHARDS", "2");
      assertThatThrownBy(() -> ServiceProcess.start(twoShards).close())
          .hasMessageContaining("audit.shards")
          .hasMessageContaining("started with 4");
    } finally {
      services.forEach(ServiceProcess::close);
    }
  }

  /**
   * {@link #CALLERS} callers per process, each making {@link #ROUNDS} single appends and as many
   * batches, rotating over the tenants; {@code victim} is SIGKILLed once it has acknowledged a
   * dozen.
   */
  private static void appendThroughAll(
      List<ServiceProcess> services,
      Map<String, String> tokens,
      Map<String, Acked> acked,
      Set<String> refused,
      ServiceProcess victim)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(services.size() * CALLERS + 1);
    Set<ServiceProcess> killed = ConcurrentHashMap.newKeySet();
    Future<?> killer =
        pool.submit(
            () -> {
              long until = System.nanoTime() + 20_000_000_000L;
              while (acked.keySet().stream().filter(k -> k.startsWith("p2-")).count() < 12
                  && System.nanoTime() < until) {
                Thread.sleep(5);
              }
              killed.add(victim);
              victim.close(); // SIGKILL
              return null;
            });
    List<Future<?>> callers = new ArrayList<>();
    for (int p = 0; p < services.size(); p++) {
      for (int c = 0; c < CALLERS; c++) {
        ServiceProcess service = services.get(p);
        String caller = "p" + p + "-" + c;
        int offset = p * CALLERS + c;
        callers.add(
            pool.submit(
                () -> {
                  try {
                    rounds(service, caller, offset, tokens, acked, refused);
                  } catch (IOException e) {
                    if (!killed.contains(service)) {
                      throw e;
                    }
                  }
                  return null;
                }));
      }
    }
    for (Future<?> caller : callers) {
      caller.get();
    }
    killer.get();
    pool.shutdown();
    assertThat(killed).as("killed before the load ended").contains(victim);
  }

  private static void rounds(
      ServiceProcess service,
      String caller,
      int offset,
      Map<String, String> tokens,
      Map<String, Acked> acked,
      Set<String> refused)
      throws Exception {
    for (int i = 0; i < ROUNDS; i++) {
      String tenant = TENANTS.get((offset + i) % TENANTS.size());
      String id = caller + "-" + i;
      HttpResponse<String> one =
          ServiceHttp.post(service, tokens.get(tenant), "/v1/audit/events", event(id));
      if (one.statusCode() == 503) {
        refused.add(id);
      } else {
        assertThat(one.statusCode()).as(one.body()).isEqualTo(201);
        acked.put(id, new Acked(tenant, JSON.readTree(one.body()).get("seq").asLong()));
      }
      StringBuilder batch = new StringBuilder("{\"events\":[");
      for (int k = 0; k < BATCH; k++) {
        batch.append(k == 0 ? "" : ",").append(event(id + "-b" + k));
      }
      HttpResponse<String> many =
          ServiceHttp.post(service, tokens.get(tenant), "/v1/audit/events/batch", batch + "]}");
      for (int k = 0; k < BATCH; k++) {
        if (many.statusCode() == 503) {
          refused.add(id + "-b" + k);
        } else {
          assertThat(many.statusCode()).as(many.body()).isEqualTo(201);
          long seq = JSON.readTree(many.body()).get("seqs").get(k).asLong();
          acked.put(id + "-b" + k, new Acked(tenant, seq));
        }
      }
    }
  }

  private static String event(String requestId) {
    return "{\"subject\":\"user-9\",\"action\":\"read\",\"purpose\":\"order_fulfilment\","
        + "\"request_id\":\""
        + requestId
        + "\"}";
  }

  /** Reads every shard's schema in one snapshot and checks it against what was acknowledged. */
  private static void assertEveryShard(
      TestDatabase pg, Map<String, Acked> acked, Set<String> refused) throws Exception {
    Map<String, List<Long>> stored = new HashMap<>();
    int consentEntries = 0;
    try (Connection connection = pg.ownerConnection()) {
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (Statement statement = connection.createStatement()) {
        for (int shard = 0; shard < SHARDS; shard++) {
          String schema = shard == 0 ? pg.schema() : pg.schema() + "_audit_s" + shard;
          List<Long> seqs = new ArrayList<>();
          try (ResultSet rows =
              statement.executeQuery(
                  "SELECT seq, tenant, request_id, action FROM "
                      + schema
                      + ".audit_entries ORDER BY seq")) {
            while (rows.next()) {
              long seq = rows.getLong(1);
              String tenant = rows.getString(2);
              String request = rows.getString(3);
              seqs.add(seq);
              if (TENANTS.contains(tenant)) {
                assertThat(PLAN.placement(tenant, Instant.now()))
                    .as(tenant + "'s entry " + seq + " in shard " + shard)
                    .isEqualTo(shard);
              }
              if ("CONSENT_GIVEN".equals(rows.getString(4)) && TENANTS.contains(tenant)) {
                consentEntries++;
              }
              if (request != null) {
                assertThat(refused).as("a refused append stored nothing").doesNotContain(request);
                Acked a = acked.get(request);
                if (a != null) {
                  assertThat(a.tenant()).isEqualTo(tenant);
                  stored.computeIfAbsent(request, r -> new ArrayList<>()).add(seq);
                }
              }
            }
          }
          for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("shard %d leaf %d", shard, i).isEqualTo(i);
          }
          try (ResultSet head =
              statement.executeQuery("SELECT tree_size FROM " + schema + ".audit_state")) {
            head.next();
            assertThat(head.getLong(1)).as("shard %d head", shard).isEqualTo(seqs.size());
          }
        }
      }
      connection.rollback();
    }
    assertThat(consentEntries).as("each tenant's consent entry, in its shard").isEqualTo(8);
    assertThat(stored).as("acknowledged appends with an entry").hasSameSizeAs(acked);
    acked.forEach(
        (request, a) ->
            assertThat(stored.get(request)).as("entries of " + request).containsExactly(a.seq()));
  }

  private static void assertOverHttp(
      List<ServiceProcess> services, Map<String, String> tokens, Map<String, Acked> acked)
      throws Exception {
    String anyToken = tokens.get(TENANTS.get(0));
    for (ServiceProcess service : services) {
      JsonNode verified = ServiceHttp.call(service, anyToken, "/v1/audit/verify", null);
      assertThat(verified.get("ok").asBoolean()).as(verified.toString()).isTrue();
    }
    JsonNode shards = ServiceHttp.read(services.get(1), anyToken, "/v1/audit/shards");
    assertThat(shards.get("count").asInt()).isEqualTo(SHARDS);
    assertThat(shards.get("tenant_shard").asInt())
        .isEqualTo(PLAN.placement(TENANTS.get(0), Instant.now()));
    String key = shards.get("top").get("verifier_key").asText();
    String topOrigin = shards.get("top").get("origin").asText();
    Checkpoint.verify(shards.get("top").get("note").asText(), key);
    for (JsonNode shard : shards.get("shards")) {
      Checkpoint.verify(shard.get("checkpoint").get("note").asText(), key);
    }
    for (String tenant : TENANTS) {
      String token = tokens.get(tenant);
      List<String> expected =
          acked.entrySet().stream()
              .filter(e -> e.getValue().tenant().equals(tenant))
              .map(Map.Entry::getKey)
              .sorted()
              .toList();
      JsonNode listed =
          ServiceHttp.read(
              services.get(0),
              token,
              "/v1/audit/events?action=read&purpose=order_fulfilment" + "&limit=1000");
      List<String> requests = new ArrayList<>();
      listed.get("entries").forEach(e -> requests.add(e.get("request_id").asText()));
      // Every acknowledged event, and beyond them only events the killed process sent but never
      // answered (stored or not, as for any crash between commit and answer).
      assertThat(requests).as(tenant + "'s listing").containsAll(expected).doesNotHaveDuplicates();
      assertThat(requests.stream().filter(r -> !expected.contains(r)))
          .as(tenant + "'s unacknowledged entries")
          .allSatisfy(r -> assertThat(r).startsWith("p2-").isNotIn(acked.keySet()));
      JsonNode consents =
          ServiceHttp.read(services.get(1), token, "/v1/audit/events?action=consent_given");
      assertThat(consents.get("entries")).as(tenant + "'s consent entry").hasSize(1);

      Acked sample = acked.get(expected.get(0));
      JsonNode proof =
          ServiceHttp.read(
              services.get(1), token, "/v1/audit/proofs/inclusion?seq=" + sample.seq());
      assertThat(proof.get("shard").asInt()).isEqualTo(PLAN.placement(tenant, Instant.now()));
      ShardProof parsed = shardProof(proof, proof.get("shard").asInt());
      parsed.verifyOffline(topOrigin, key);
      int elsewhere = (proof.get("shard").asInt() + 1) % SHARDS;
      assertThatThrownBy(() -> shardProof(proof, elsewhere).verifyOffline(topOrigin, key))
          .isInstanceOf(AuditLogException.class);
    }
  }

  /** The proof an auditor rebuilds from the HTTP answer, claiming shard {@code shard}. */
  private static ShardProof shardProof(JsonNode json, int shard) {
    HexFormat hex = HexFormat.of();
    JsonNode top = json.get("top");
    return new ShardProof(
        shard,
        top.get("shard_origin").asText(),
        hex.parseHex(top.get("shard_root").asText()),
        inclusion(json),
        Instant.parse(top.get("recorded_at").asText()),
        hex.parseHex(top.get("salt").asText()),
        inclusion(top),
        top.get("checkpoint").asText());
  }

  private static InclusionProof inclusion(JsonNode json) {
    HexFormat hex = HexFormat.of();
    List<byte[]> path = new ArrayList<>();
    json.get("path").forEach(p -> path.add(hex.parseHex(p.asText())));
    return new InclusionProof(
        json.get("seq").asLong(),
        json.get("tree_size").asLong(),
        hex.parseHex(json.get("leaf_hash").asText()),
        path);
  }
}
