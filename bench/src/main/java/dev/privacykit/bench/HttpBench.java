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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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

  private HttpBench() {}

  static void run() throws Exception {
    String url =
        System.getenv()
            .getOrDefault(
                "PRIVACYKIT_BENCH_POSTGRES_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
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
            db, c -> c.origin("bench/http").signer(CheckpointSigner.generate("bench/http")));
    ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(PolicyPacks.gdpr()));
    ledger.give(ConsentChange.of("acme", "subj_1", "email_marketing", 2, "en"));
    Javalin bare =
        Javalin.create(config -> config.routes.get("/hello/{subject}", ctx -> ctx.result("hello")))
            .start(0);
    Javalin guarded =
        Javalin.create(
                config -> {
                  config.registerPlugin(
                      new PrivacyPlugin(
                          p ->
                              p.tokens(t -> t.issuer(issuer, i -> i.jwks(jwks).audience("bench")))
                                  .policy(PolicyPacks.gdpr())
                                  .consent(ledger.lookup())
                                  .audit(audit)
                                  .rateLimits(0, 0)));
                  config.routes.get(
                      "/hello/{subject}",
                      ctx -> ctx.result("hello"),
                      requires("hello:read").purpose("email_marketing").subjectFromPath("subject"));
                })
            .start(0);
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
      wrk(bareUrl, null, 3, 32);
      double[] bareMax = wrk(bareUrl, null, 10, 32);
      wrk(guardedUrl, token, 3, 32);
      double[] guardedMax = wrk(guardedUrl, token, 10, 32);
      System.out.printf(
          Locale.ROOT,
          "{\"bench\": \"http.protected_route_max\", \"connections\": 32, \"ops_per_s\": %.0f, \"baseline\": \"bare_javalin_route\", \"baseline_ops_per_s\": %.0f, \"ratio\": %.3f, \"p50_ms\": %.2f, \"p99_ms\": %.2f, \"baseline_p99_ms\": %.2f}%n",
          guardedMax[0],
          bareMax[0],
          guardedMax[0] / bareMax[0],
          guardedMax[1],
          guardedMax[2],
          bareMax[2]);
      // Paced load at half the bare maximum: each connection waits PACE_MS between requests.
      // A first short run finds how many connections reach the target rate on the guarded route
      // (each connection's rate is 1 / (pace + latency)); the measured runs then use that many.
      double target = bareMax[0] / 2;
      int connections = (int) Math.max(1, Math.round(target * PACE_MS / 1000.0));
      double[] probe = wrk(guardedUrl, token, 5, connections, PACE_MS);
      connections = (int) Math.max(1, Math.round(connections * target / probe[0]));
      double[] barePaced = wrk(bareUrl, null, 10, connections, PACE_MS);
      double[] guardedPaced = wrk(guardedUrl, token, 10, connections, PACE_MS);
      System.out.printf(
          Locale.ROOT,
          "{\"bench\": \"http.protected_route_half_load\", \"connections\": %d, \"pace_ms\": %d, \"target_ops_per_s\": %.0f, \"ops_per_s\": %.0f, \"baseline\": \"bare_javalin_route\", \"baseline_ops_per_s\": %.0f, \"p50_ms\": %.2f, \"p99_ms\": %.2f, \"baseline_p99_ms\": %.2f, \"audit_entries\": %d}%n",
          connections,
          PACE_MS,
          target,
          guardedPaced[0],
          barePaced[0],
          guardedPaced[1],
          guardedPaced[2],
          barePaced[2],
          audit.size());
    } finally {
      bare.stop();
      guarded.stop();
      ledger.close();
      audit.close();
      db.close();
    }
  }

  /**
   * Runs wrk against {@code url} with {@code connections}; returns {requests/s, p50 ms, p99 ms}.
   */
  private static double[] wrk(String url, String token, int seconds, int connections)
      throws Exception {
    return wrk(url, token, seconds, connections, 0);
  }

  /** As above, each connection pausing {@code paceMillis} after each answer (0: no pause). */
  private static double[] wrk(
      String url, String token, int seconds, int connections, int paceMillis) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency"));
    if (paceMillis > 0) {
      Path script = Files.createTempFile("pace", ".lua");
      Files.writeString(script, "function delay()\n  return " + paceMillis + "\nend\n");
      script.toFile().deleteOnExit();
      command.addAll(List.of("-s", script.toString()));
    }
    if (token != null) {
      command.addAll(List.of("-H", "Authorization: Bearer " + token));
    }
    command.add(url);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    double[] out = new double[3];
    int errors = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
      for (String line; (line = in.readLine()) != null; ) {
        String t = line.trim();
        if (t.startsWith("Requests/sec:")) {
          out[0] = Double.parseDouble(t.substring("Requests/sec:".length()).trim());
        } else if (t.startsWith("50%")) {
          out[1] = millis(t.substring(3).trim());
        } else if (t.startsWith("99%")) {
          out[2] = millis(t.substring(3).trim());
        } else if (t.contains("Non-2xx or 3xx responses")) {
          errors++;
        }
      }
    }
    process.waitFor();
    if (errors > 0) {
      throw new IllegalStateException("wrk saw non-2xx answers from " + url);
    }
    return out;
  }

  private static double millis(String value) {
    if (value.endsWith("us")) {
      return Double.parseDouble(value.substring(0, value.length() - 2)) / 1000;
    }
    if (value.endsWith("ms")) {
      return Double.parseDouble(value.substring(0, value.length() - 2));
    }
    if (value.endsWith("s")) {
      return Double.parseDouble(value.substring(0, value.length() - 1)) * 1000;
    }
    return Double.parseDouble(value);
  }
}
