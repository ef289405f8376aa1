package dev.privacykit.bench;

import static dev.privacykit.javalin.PrivacyPlugin.requires;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.consent.ConsentChange;
import dev.privacykit.consent.ConsentLedger;
import dev.privacykit.javalin.PrivacyPlugin;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.storage.Database;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench/run http}: a bare Javalin hello route against the same route behind the PrivacyKit
 * plugin (RS256 token with the verified-token cache, a consent check against the ledger's cache,
 * and an audit entry per request, on PostgreSQL in a fresh schema, as in production). Maximum
 * throughput with wrk (2 threads, 32 connections, 10 s), then p50/p99 with the load paced to half
 * the bare route's maximum (wrk's Lua {@code delay()} between each connection's requests).
 */
final class HttpBench {
  private static final int PACE_MS = 4;

  private static final int ROUNDS = 5;
  private static final int SECONDS = 5;
  private static final int WARM_UP_SECONDS = 10;

  private HttpBench() {}

  /** Keeps a run's result and gives its throughput. */
  static double record(List<Wrk.Result> runs, Wrk.Result result) {
    runs.add(result);
    return result.opsPerSecond();
  }

  /** The guarded route behind the plugin; {@code waits}: answers after the entry's commit. */
  private static Javalin guardedApp(
      String issuer, String jwks, ConsentLedger ledger, AuditLog audit, boolean waits) {
    return Javalin.create(
            config -> {
              config.registerPlugin(
                  new PrivacyPlugin(
                      p -> {
                        p.tokens(t -> t.issuer(issuer, i -> i.jwks(jwks).audience("bench")))
                            .policy(PolicyPacks.gdpr())
                            .consent(ledger.lookup())
                            .audit(audit)
                            .rateLimits(0, 0);
                        if (waits) {
                          p.auditWaitsForCommit();
                        }
                      }));
              config.routes.get(
                  "/hello/{subject}",
                  ctx -> ctx.result("hello"),
                  requires("hello:read").purpose("email_marketing").subjectFromPath("subject"));
            })
        .start(0);
  }

  static void run() throws Exception {
    String url = BenchMain.postgresUrl();
    String schema = "bench_http_" + Long.toString(System.nanoTime(), 36);
    Database db = Database.open(url, c -> c.schema(schema));
    db.migrate();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair rsa = generator.generateKeyPair();
    String jwks =
        new JWKSet(new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).keyID("k1").build())
            .toString();
    String issuer = "https://bench.privacykit.local";
    AuditLog audit =
        AuditLog.open(
            db,
            c ->
                // One tenant, cold JIT at the first warm-up: sized as a single-tenant app would be,
                // so a burst waits in the queue instead of being refused with 503.
                c.origin("bench/http")
                    .signer(CheckpointSigner.generate("bench/http"))
                    .queueCapacity(200_000)
                    .tenantShare(1));
    ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(PolicyPacks.gdpr()));
    ledger.give(ConsentChange.of("acme", "subj_1", "email_marketing", 2, "en"));
    Javalin bare =
        Javalin.create(config -> config.routes.get("/hello/{subject}", ctx -> ctx.result("hello")))
            .start(0);
    Javalin guarded = guardedApp(issuer, jwks, ledger, audit, false);
    // The same route with the stricter durability: the answer waits for its entry's commit.
    Javalin committed = guardedApp(issuer, jwks, ledger, audit, true);
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
            new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience("bench")
                .subject("svc")
                .claim("tenant", "acme")
                .claim("scope", "hello:read")
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(3_000)))
                .build());
    jwt.sign(new RSASSASigner(rsa.getPrivate()));
    String token = jwt.serialize();
    try {
      String bareUrl = "http://127.0.0.1:" + bare.port() + "/hello/subj_1";
      String guardedUrl = "http://127.0.0.1:" + guarded.port() + "/hello/subj_1";
      if (HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(guardedUrl))
                      .header("Authorization", "Bearer " + token)
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode()
          != 200) {
        throw new IllegalStateException("the guarded route did not answer 200");
      }
      // Both routes warm (JIT, pool, audit writer) before the first pair, as in the service suite.
      Wrk.get(bareUrl, null, WARM_UP_SECONDS, 32);
      Wrk.get(guardedUrl, token, WARM_UP_SECONDS, 32);
      List<Wrk.Result> bareRuns = new ArrayList<>();
      List<Wrk.Result> guardedRuns = new ArrayList<>();
      Paired.Figure max =
          Paired.measure(
              "http.protected_route_max",
              ROUNDS,
              () -> record(guardedRuns, Wrk.get(guardedUrl, token, SECONDS, 32)),
              () -> record(bareRuns, Wrk.get(bareUrl, null, SECONDS, 32)));
      System.out.printf(
          Locale.ROOT,
          "{\"bench\": \"http.protected_route_max\", \"connections\": 32, \"baseline\":"
              + " \"bare_javalin_route\", %s, \"p50_ms\": %.2f, \"p99_ms\": %.2f,"
              + " \"baseline_p99_ms\": %.2f}%n",
          max.fields(),
          Paired.median(guardedRuns.stream().mapToDouble(Wrk.Result::p50Millis).toArray()),
          Paired.median(guardedRuns.stream().mapToDouble(Wrk.Result::p99Millis).toArray()),
          Paired.median(bareRuns.stream().mapToDouble(Wrk.Result::p99Millis).toArray()));
      // The cost of "committed before the answer": the same guarded route waiting for its
      // entry's commit, paired with the default (the entry accepted by the writer).
      String committedUrl = "http://127.0.0.1:" + committed.port() + "/hello/subj_1";
      Wrk.get(committedUrl, token, WARM_UP_SECONDS, 32);
      List<Wrk.Result> committedRuns = new ArrayList<>();
      List<Wrk.Result> acceptedRuns = new ArrayList<>();
      Paired.Figure wait =
          Paired.measure(
              "http.protected_route_commit_wait",
              ROUNDS,
              () -> record(committedRuns, Wrk.get(committedUrl, token, SECONDS, 32)),
              () -> record(acceptedRuns, Wrk.get(guardedUrl, token, SECONDS, 32)));
      System.out.printf(
          Locale.ROOT,
          "{\"bench\": \"http.protected_route_commit_wait\", \"connections\": 32, \"baseline\":"
              + " \"protected_route_entry_accepted\", %s, \"p50_ms\": %.2f, \"p99_ms\": %.2f,"
              + " \"baseline_p50_ms\": %.2f, \"baseline_p99_ms\": %.2f}%n",
          wait.fields(),
          Paired.median(committedRuns.stream().mapToDouble(Wrk.Result::p50Millis).toArray()),
          Paired.median(committedRuns.stream().mapToDouble(Wrk.Result::p99Millis).toArray()),
          Paired.median(acceptedRuns.stream().mapToDouble(Wrk.Result::p50Millis).toArray()),
          Paired.median(acceptedRuns.stream().mapToDouble(Wrk.Result::p99Millis).toArray()));
      // Paced load at half the bare maximum: each connection waits PACE_MS between requests.
      // A first short run finds how many connections reach the target rate on the guarded route
      // (each connection's rate is 1 / (pace + latency)); the measured runs then use that many.
      double target = max.baselineMedian() / 2;
      int connections = (int) Math.max(1, Math.round(target * PACE_MS / 1000.0));
      Wrk.Result probe = Wrk.run(guardedUrl, token, 5, connections, PACE_MS, null);
      connections = (int) Math.max(1, Math.round(connections * target / probe.opsPerSecond()));
      Wrk.Result barePaced = Wrk.run(bareUrl, null, 10, connections, PACE_MS, null);
      Wrk.Result guardedPaced = Wrk.run(guardedUrl, token, 10, connections, PACE_MS, null);
      System.out.printf(
          Locale.ROOT,
          "{\"bench\": \"http.protected_route_half_load\", \"connections\": %d, \"pace_ms\": %d, \"target_ops_per_s\": %.0f, \"ops_per_s\": %.0f, \"baseline\": \"bare_javalin_route\", \"baseline_ops_per_s\": %.0f, \"p50_ms\": %.2f, \"p99_ms\": %.2f, \"baseline_p99_ms\": %.2f, \"audit_entries\": %d}%n",
          connections,
          PACE_MS,
          target,
          guardedPaced.opsPerSecond(),
          barePaced.opsPerSecond(),
          guardedPaced.p50Millis(),
          guardedPaced.p99Millis(),
          barePaced.p99Millis(),
          audit.size());
    } finally {
      bare.stop();
      guarded.stop();
      committed.stop();
      ledger.close();
      audit.close();
      db.close();
    }
  }
}
