package dev.privacykit.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/**
 * One, two, then four service processes on one PostgreSQL schema (issue 21, "several processes"),
 * as behind a load balancer: audit events appended through all of them at once, for several
 * tenants, single and batched, form one log in which every accepted append has exactly one entry,
 * at the seq it was answered with; the seqs are gapless, the tree head's size is the number of
 * entries and the log verifies; one append sent with the same idempotency key through every process
 * at once gets one entry and the same seq from each; a consent change made through one process is
 * seen by every other one's consent check within a second (their caches dropped by the
 * LISTEN/NOTIFY change feed), and a withdrawal through another is seen back.
 *
 * <p>PostgreSQL only: an H2 in-memory database lives inside one JVM and cannot be shared by several
 * processes, so there is nothing to run on H2. The test prints the append rates it measured (one
 * line per phase, {@code multi-process:}); docs/SCALING.md quotes them.
 */
class MultiProcessTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> TENANTS = List.of("mp-a", "mp-b", "mp-c");

  /** Callers per process; {@code -Dprivacykit.multiprocess.callers=N} for a heavier run. */
  private static final int THREADS_PER_PROCESS =
      Integer.getInteger("privacykit.multiprocess.callers", 3);

  /** Rounds per caller; {@code -Dprivacykit.multiprocess.rounds=N} for a longer run. */
  private static final int ROUNDS = Integer.getInteger("privacykit.multiprocess.rounds", 20);

  private static final int BATCH = 5;

  /** One data directory (development keys) for the class, as the schema is one per class. */
  @TempDir static Path dir;

  @DatabaseTest(Dialect.POSTGRESQL)
  void oneTwoThenFourProcesses_oneGaplessVerifiedLog_andConsentsSeenAtOnce(TestDatabase pg)
      throws Exception {
    Map<String, String> environment =
        Map.of(
            "PRIVACYKIT_DATA_DIR", dir.toString(),
            "PRIVACYKIT_DATABASE_URL", pg.url(),
            "PRIVACYKIT_DATABASE_SCHEMA", pg.schema());
    List<ServiceProcess> services = new ArrayList<>();
    try {
      // One after the other: the first creates the development keys the others use.
      services.add(ServiceProcess.start(environment));
      Map<String, String> tokens = new HashMap<>();
      for (String tenant : TENANTS) {
        tokens.put(tenant, ServiceApiTest.mint(dir, tenant, "backend", Scopes.ADMIN));
      }
      Map<String, Long> accepted = new ConcurrentHashMap<>();
      Set<String> refused = ConcurrentHashMap.newKeySet();
      // The same load from one process first: the figure the others are compared with.
      appendFromAll("one", services, tokens, accepted, refused, Set.of());
      assertOneGaplessVerifiedLog(pg, services, tokens, accepted, refused);

      services.add(ServiceProcess.start(environment));
      consentsSeenAcross(services, tokens, "user-2");
      appendFromAll("two", services, tokens, accepted, refused, Set.of());
      assertOneGaplessVerifiedLog(pg, services, tokens, accepted, refused);

      for (int i = 0; i < 2; i++) {
        services.add(ServiceProcess.start(environment));
      }
      consentsSeenAcross(services, tokens, "user-4");
      appendFromAll("four", services, tokens, accepted, refused, Set.of());
      sameKeyThroughEveryProcess(services, tokens, accepted);
      assertOneGaplessVerifiedLog(pg, services, tokens, accepted, refused);

      for (ServiceProcess service : services) {
        assertThat(service.stop()).isTrue();
        assertThat(service.output()).contains("stopped").doesNotContain("ERROR");
      }
    } finally {
      services.forEach(ServiceProcess::close);
    }
  }

  /**
   * Three processes appending, one of them killed (SIGKILL) once it has acknowledged a dozen
   * events, its callers' requests in flight: the two others go on, and every append any process
   * acknowledged (the killed one's too, before it died) has exactly one entry; the log is gapless,
   * its head matches and it verifies. A transaction the killed process had open (perhaps holding
   * the head lock) is rolled back by PostgreSQL when its connection drops.
   */
  @DatabaseTest(Dialect.POSTGRESQL)
  void aProcessKilledWhileAppending_leavesOneGaplessVerifiedLog(TestDatabase pg) throws Exception {
    Map<String, String> environment =
        Map.of(
            "PRIVACYKIT_DATA_DIR", dir.toString(),
            "PRIVACYKIT_DATABASE_URL", pg.url(),
            "PRIVACYKIT_DATABASE_SCHEMA", pg.schema());
    List<ServiceProcess> services = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        services.add(ServiceProcess.start(environment));
      }
      Map<String, String> tokens = new HashMap<>();
      for (String tenant : TENANTS) {
        tokens.put(tenant, ServiceApiTest.mint(dir, tenant, "backend", Scopes.ADMIN));
      }
      Map<String, Long> accepted = new ConcurrentHashMap<>();
      Set<String> refused = ConcurrentHashMap.newKeySet();
      Set<ServiceProcess> killed = ConcurrentHashMap.newKeySet();
      ServiceProcess victim = services.get(2);
      Thread killer =
          new Thread(
              () -> {
                // Once the victim has acknowledged some appends, so it is in full flow.
                long until = System.nanoTime() + 10_000_000_000L;
                while (accepted.keySet().stream().filter(k -> k.startsWith("kill-2-")).count() < 12
                    && System.nanoTime() < until) {
                  try {
                    Thread.sleep(5);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
                killed.add(victim);
                victim.close(); // SIGKILL
              });
      killer.start();
      appendFromAll("kill", services, tokens, accepted, refused, killed);
      killer.join();
      assertThat(killed).as("killed before the load ended").contains(victim);
      List<ServiceProcess> survivors = services.subList(0, 2);
      assertOneGaplessVerifiedLog(pg, survivors, tokens, accepted, refused);
      for (ServiceProcess service : survivors) {
        assertThat(service.stop()).isTrue();
        assertThat(service.output()).contains("stopped").doesNotContain("ERROR");
      }
    } finally {
      services.forEach(ServiceProcess::close);
    }
  }

  /**
   * For each tenant: every process answers "no consent" first (so it is cached), the first gives
   * consent and every other sees it; the second withdraws and every other, the first included, sees
   * that.
   */
  private static void consentsSeenAcross(
      List<ServiceProcess> services, Map<String, String> tokens, String subject) throws Exception {
    long slowest = 0;
    for (String tenant : TENANTS) {
      String token = tokens.get(tenant);
      for (ServiceProcess service : services) {
        assertThat(allowed(service, token, subject)).isFalse();
      }
      JsonNode given =
          ServiceHttp.call(
              services.get(0),
              token,
              "/v1/subjects/" + subject + "/consents/email_marketing/give",
              "{\"notice_version\":2,\"language\":\"en\"}");
      assertThat(given.get("state").asText()).isEqualTo("GIVEN");
      for (ServiceProcess other : services.subList(1, services.size())) {
        long millis = millisUntil(other, token, subject, true);
        assertThat(millis).as("give seen through another process").isLessThan(1_000);
        slowest = Math.max(slowest, millis);
      }
      ServiceHttp.call(
          services.get(1),
          token,
          "/v1/subjects/" + subject + "/consents/email_marketing/withdraw",
          null);
      for (ServiceProcess other : services) {
        if (other != services.get(1)) {
          long millis = millisUntil(other, token, subject, false);
          assertThat(millis).as("withdrawal seen through another process").isLessThan(1_000);
          slowest = Math.max(slowest, millis);
        }
      }
    }
    System.out.printf(
        "multi-process: %d processes, consent change seen by every other process within %d ms%n",
        services.size(), slowest);
  }

  /**
   * Appends through every process at once: {@link #THREADS_PER_PROCESS} callers each, each making
   * {@link #ROUNDS} single appends and as many batches of {@link #BATCH}, rotating over the
   * tenants. Each event carries a request id of its own; {@code accepted} maps it to the seq
   * answered.
   */
  private static void appendFromAll(
      String phase,
      List<ServiceProcess> services,
      Map<String, String> tokens,
      Map<String, Long> accepted,
      Set<String> refused,
      Set<ServiceProcess> killed)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(services.size() * THREADS_PER_PROCESS);
    AtomicInteger overloaded = new AtomicInteger();
    Queue<Long> micros = new ConcurrentLinkedQueue<>();
    int before = accepted.size();
    List<Future<?>> callers = new ArrayList<>();
    long start = System.nanoTime();
    for (int p = 0; p < services.size(); p++) {
      for (int t = 0; t < THREADS_PER_PROCESS; t++) {
        ServiceProcess service = services.get(p);
        String caller = phase + "-" + p + "-" + t;
        callers.add(
            pool.submit(
                () -> {
                  try {
                    appendRounds(service, caller, tokens, accepted, refused, overloaded, micros);
                  } catch (IOException e) {
                    if (!killed.contains(service)) {
                      throw e;
                    }
                    // the process was killed under this caller: its unanswered appends count
                    // neither as accepted nor as refused
                  }
                  return null;
                }));
      }
    }
    for (Future<?> c : callers) {
      c.get();
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    pool.shutdown();
    int events = accepted.size() - before;
    int requests = services.size() * THREADS_PER_PROCESS * ROUNDS * 2;
    List<Long> sorted = micros.stream().sorted().toList();
    System.out.printf(
        "multi-process: %d processes x %d callers, %d requests (%d events, batches of %d) in %d"
            + " ms: %.0f events/s, %.0f requests/s, answer p50 %.1f ms p99 %.1f ms,"
            + " %d refused as overloaded (503)%n",
        services.size(),
        THREADS_PER_PROCESS,
        requests,
        events,
        BATCH,
        millis,
        events * 1000.0 / Math.max(1, millis),
        requests * 1000.0 / Math.max(1, millis),
        sorted.get(sorted.size() / 2) / 1000.0,
        sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)) / 1000.0,
        overloaded.get());
    assertThat(events).as("accepted events").isPositive();
  }

  /**
   * One caller's rounds: single appends and batches, recorded in {@code accepted} or {@code
   * refused}.
   */
  private static void appendRounds(
      ServiceProcess service,
      String caller,
      Map<String, String> tokens,
      Map<String, Long> accepted,
      Set<String> refused,
      AtomicInteger overloaded,
      Queue<Long> micros)
      throws Exception {
    for (int i = 0; i < ROUNDS; i++) {
      String token = tokens.get(TENANTS.get(i % TENANTS.size()));
      String id = caller + "-" + i;
      long sent = System.nanoTime();
      JsonNode one = append(service, token, "/v1/audit/events", event(id + "-s"));
      micros.add((System.nanoTime() - sent) / 1_000);
      if (one == null) {
        overloaded.incrementAndGet();
        refused.add(id + "-s");
      } else {
        accepted.put(id + "-s", one.get("seq").asLong());
      }
      StringBuilder batch = new StringBuilder("{\"events\":[");
      for (int k = 0; k < BATCH; k++) {
        batch.append(k == 0 ? "" : ",").append(event(id + "-b" + k));
      }
      JsonNode many = append(service, token, "/v1/audit/events/batch", batch + "]}");
      if (many == null) {
        overloaded.incrementAndGet();
        for (int k = 0; k < BATCH; k++) {
          refused.add(id + "-b" + k);
        }
      } else {
        assertThat(many.get("seqs")).hasSize(BATCH);
        for (int k = 0; k < BATCH; k++) {
          accepted.put(id + "-b" + k, many.get("seqs").get(k).asLong());
        }
      }
    }
  }

  /**
   * The same append with the same idempotency key sent through every process at once, for several
   * keys: every process answers with the same seq, and there is one entry (checked with the rest).
   */
  private static void sameKeyThroughEveryProcess(
      List<ServiceProcess> services, Map<String, String> tokens, Map<String, Long> accepted)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(services.size());
    String token = tokens.get(TENANTS.get(1));
    for (int k = 0; k < 10; k++) {
      String id = "race-" + k;
      String body = event(id).replace("}", ",\"idempotency_key\":\"mp-" + id + "\"}");
      List<Future<JsonNode>> answers = new ArrayList<>();
      for (ServiceProcess service : services) {
        answers.add(pool.submit(() -> ServiceHttp.call(service, token, "/v1/audit/events", body)));
      }
      long seq = answers.get(0).get().get("seq").asLong();
      for (Future<JsonNode> answer : answers) {
        assertThat(answer.get().get("seq").asLong()).as("seq answered for " + id).isEqualTo(seq);
      }
      accepted.put(id, seq);
    }
    pool.shutdown();
  }

  private static String event(String requestId) {
    return "{\"subject\":\"user-9\",\"action\":\"read\",\"purpose\":\"order_fulfilment\","
        + "\"request_id\":\""
        + requestId
        + "\"}";
  }

  private static void assertOneGaplessVerifiedLog(
      TestDatabase pg,
      List<ServiceProcess> services,
      Map<String, String> tokens,
      Map<String, Long> accepted,
      Set<String> refused)
      throws Exception {
    List<Long> seqs = new ArrayList<>();
    Map<String, List<Long>> byRequest = new HashMap<>();
    long treeSize;
    try (Connection connection = pg.ownerConnection()) {
      // One snapshot for the entries and the head: the services may append between two reads.
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      Statement statement = connection.createStatement();
      try (ResultSet rows =
          statement.executeQuery("SELECT seq, request_id FROM audit_entries ORDER BY seq")) {
        while (rows.next()) {
          seqs.add(rows.getLong(1));
          String request = rows.getString(2);
          if (request != null) {
            assertThat(refused.contains(request)).as("a refused append stored nothing").isFalse();
          }
          if (request != null && accepted.containsKey(request)) {
            byRequest.computeIfAbsent(request, r -> new ArrayList<>()).add(rows.getLong(1));
          }
        }
      }
      try (ResultSet head = statement.executeQuery("SELECT tree_size FROM audit_state")) {
        head.next();
        treeSize = head.getLong(1);
      }
      statement.close();
      connection.rollback();
    }
    for (int i = 0; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).as("leaf index %d of %d", i, seqs.size()).isEqualTo(i);
    }
    assertThat(treeSize).as("tree head size").isEqualTo(seqs.size());
    assertThat(byRequest).as("accepted appends with an entry").hasSameSizeAs(accepted);
    accepted.forEach(
        (request, seq) ->
            assertThat(byRequest.get(request)).as("entries of " + request).containsExactly(seq));

    String token = tokens.get(TENANTS.get(0));
    for (ServiceProcess service : List.of(services.get(0), services.get(services.size() - 1))) {
      JsonNode verified = ServiceHttp.call(service, token, "/v1/audit/verify", null);
      assertThat(verified.get("ok").asBoolean()).as(verified.toString()).isTrue();
      assertThat(verified.get("entries").asLong()).isGreaterThanOrEqualTo(seqs.size());
    }
    JsonNode checkpoint =
        ServiceHttp.read(services.get(services.size() - 1), token, "/v1/audit/checkpoint");
    assertThat(checkpoint.get("size").asLong()).isPositive();
  }

  /** The answer to an append, or null when it was refused as overloaded (503: nothing stored). */
  private static JsonNode append(ServiceProcess service, String token, String path, String body)
      throws Exception {
    HttpResponse<String> response = ServiceHttp.post(service, token, path, body);
    if (response.statusCode() == 503) {
      return null;
    }
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(201);
    return JSON.readTree(response.body());
  }

  /** Polls {@code service}'s consent check until it answers {@code wanted}; the time it took. */
  private static long millisUntil(
      ServiceProcess service, String token, String subject, boolean wanted) throws Exception {
    long start = System.nanoTime();
    while (allowed(service, token, subject) != wanted) {
      if (System.nanoTime() - start > 5_000_000_000L) {
        break;
      }
      Thread.sleep(10);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static boolean allowed(ServiceProcess service, String token, String subject)
      throws Exception {
    String check = "{\"subject\":\"" + subject + "\",\"purposes\":[\"email_marketing\"]}";
    return ServiceHttp.call(service, token, "/v1/consents/check", check).get("allowed").asBoolean();
  }
}
