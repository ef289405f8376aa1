package dev.privacykit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code bench/run service}: the standalone service as its users run it ({@code java -jar
 * server/target/privacykit.jar}, its own JVM with default flags, development token, audit and
 * consents on PostgreSQL in a fresh schema) against bare Javalin routes of the same shape in this
 * JVM (the same JSON in and out, parsed and written with Jackson; the encrypt route does raw JDK
 * AES-256-GCM; each measured without and with the service's Authorization header, which it
 * ignores), each with wrk at 32 connections for 10 s after every shape has had a 10 s warm-up on
 * both: batch consent check, audit append single and 100 per batch, field encrypt. Also the
 * service's start-up time (fresh schema, then a restart on the same data) and its resident memory,
 * idle and at the peak of the load. {@code PRIVACYKIT_BENCH_SERVICE_JVM_FLAGS} passes flags to the
 * service's JVM.
 */
final class ServiceBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CONNECTIONS = 32;
  private static final int BATCH = 100;
  private static final int WARM_UP_SECONDS = 10;
  private static final int ROUNDS = 5;
  private static final int SAME_REQUEST_ROUNDS = 3;
  private static final int SECONDS = 5;

  /** One route shape: its path and the body sent to both servers. */
  private record Shape(String name, String path, String body, int entriesPerRequest) {}

  private ServiceBench() {}

  static void run() throws Exception {
    Path jar = Path.of("server/target/privacykit.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("build the service first: " + jar + " is missing");
    }
    String url = BenchMain.postgresUrl();
    String schema = "bench_service_" + Long.toString(System.nanoTime(), 36);
    Path data = Files.createTempDirectory("privacykit-bench");
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("PRIVACYKIT_PORT", "0");
    environment.put("PRIVACYKIT_DATA_DIR", data.toString());
    environment.put("PRIVACYKIT_DATABASE_URL", url);
    environment.put("PRIVACYKIT_DATABASE_SCHEMA", schema);
    environment.put("PRIVACYKIT_RATE_PER_IP", "0");
    environment.put("PRIVACYKIT_RATE_PER_PRINCIPAL", "0");
    Javalin bare = bareRoutes();
    ServiceProcess service = null;
    try {
      ServiceProcess first = ServiceProcess.start(jar, environment);
      long firstStart = first.startupMillis();
      first.stop();
      service = ServiceProcess.start(jar, environment);
      System.out.printf(
          Locale.ROOT,
          "{\"bench\": \"service.startup\", \"first_start_ms\": %d, \"restart_ms\": %d, \"idle_rss_mib\": %.0f, \"jvm_flags\": \"%s\"}%n",
          firstStart,
          service.startupMillis(),
          service.rssMib(),
          String.join(" ", ServiceProcess.jvmFlags()));
      String token = mint(jar, data);
      String serviceBase = "http://127.0.0.1:" + service.port();
      post(
          serviceBase + "/v1/subjects/subj_1/consents/email_marketing/give",
          token,
          "{\"notice_version\":2,\"language\":\"en\"}");
      String bareBase = "http://127.0.0.1:" + bare.port();
      // Both JVMs see every shape before any is measured, so no figure pays for the JIT.
      for (Shape shape : shapes()) {
        post(serviceBase + shape.path(), token, shape.body());
        post(bareBase + shape.path(), null, shape.body());
        Wrk.run(bareBase + shape.path(), null, WARM_UP_SECONDS, CONNECTIONS, 0, shape.body());
        Wrk.run(serviceBase + shape.path(), token, WARM_UP_SECONDS, CONNECTIONS, 0, shape.body());
      }
      double peakRss = 0;
      for (Shape shape : shapes()) {
        String serviceUrl = serviceBase + shape.path();
        String bareUrl = bareBase + shape.path();
        List<Wrk.Result> measuredRuns = new ArrayList<>();
        List<Wrk.Result> baseRuns = new ArrayList<>();
        service.resetPeakRss();
        Paired.Figure figure =
            Paired.measure(
                "service." + shape.name(),
                ROUNDS,
                () ->
                    HttpBench.record(
                        measuredRuns,
                        Wrk.run(serviceUrl, token, SECONDS, CONNECTIONS, 0, shape.body())),
                () ->
                    HttpBench.record(
                        baseRuns, Wrk.run(bareUrl, null, SECONDS, CONNECTIONS, 0, shape.body())));
        // The same request bytes, token header included, which the bare route ignores: what the
        // service costs beyond Jetty reading the request.
        Paired.Figure sameRequest =
            Paired.measure(
                "service." + shape.name() + ".same_request",
                SAME_REQUEST_ROUNDS,
                () ->
                    Wrk.run(serviceUrl, token, SECONDS, CONNECTIONS, 0, shape.body())
                        .opsPerSecond(),
                () ->
                    Wrk.run(bareUrl, token, SECONDS, CONNECTIONS, 0, shape.body()).opsPerSecond());
        peakRss = Math.max(peakRss, service.peakRssMib());
        StringBuilder line =
            new StringBuilder(
                String.format(
                    Locale.ROOT,
                    "{\"bench\": \"service.%s\", \"connections\": %d, \"baseline\": \"bare_javalin_route\", %s, \"p50_ms\": %.2f, \"p99_ms\": %.2f, \"baseline_p50_ms\": %.2f, \"baseline_p99_ms\": %.2f",
                    shape.name(),
                    CONNECTIONS,
                    figure.fields(),
                    Paired.median(
                        measuredRuns.stream().mapToDouble(Wrk.Result::p50Millis).toArray()),
                    Paired.median(
                        measuredRuns.stream().mapToDouble(Wrk.Result::p99Millis).toArray()),
                    Paired.median(baseRuns.stream().mapToDouble(Wrk.Result::p50Millis).toArray()),
                    Paired.median(baseRuns.stream().mapToDouble(Wrk.Result::p99Millis).toArray())));
        line.append(
            String.format(
                Locale.ROOT,
                ", \"bare_same_request_ops_per_s\": %.0f, \"ratio_same_request\": %.3f,"
                    + " \"ratio_same_request_spread\": [%.3f, %.3f]",
                sameRequest.baselineMedian(),
                sameRequest.ratio(),
                sameRequest.spreadMin(),
                sameRequest.spreadMax()));
        if (shape.entriesPerRequest() > 0) {
          line.append(
              String.format(
                  Locale.ROOT,
                  ", \"entries_per_s\": %.0f",
                  figure.subjectMedian() * shape.entriesPerRequest()));
        }
        line.append(String.format(Locale.ROOT, ", \"peak_rss_mib\": %.0f}", service.peakRssMib()));
        System.out.println(line);
      }
      System.out.printf(
          Locale.ROOT,
          "{\"bench\": \"service.memory\", \"idle_rss_mib\": %.0f, \"peak_rss_under_load_mib\": %.0f}%n",
          service.idleRssMib(),
          peakRss);
    } finally {
      if (service != null) {
        service.stop();
      }
      bare.stop();
      try (Connection connection = DriverManager.getConnection(url);
          Statement statement = connection.createStatement()) {
        statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  private static List<Shape> shapes() {
    String event =
        "{\"subject\":\"subj_1\",\"action\":\"read\",\"purpose\":\"order_fulfilment\",\"categories\":[\"user.contact.email\"]}";
    String batch =
        IntStream.range(0, BATCH)
            .mapToObj(i -> event)
            .collect(Collectors.joining(",", "{\"events\":[", "]}"));
    return List.of(
        new Shape(
            "consent_check_batch",
            "/v1/consents/check",
            "{\"subject\":\"subj_1\",\"purposes\":[\"email_marketing\",\"targeted_advertising\",\"order_fulfilment\"]}",
            0),
        new Shape("audit_append_single", "/v1/audit/events", event, 1),
        new Shape("audit_append_batch_" + BATCH, "/v1/audit/events/batch", batch, BATCH),
        new Shape(
            "field_encrypt",
            "/v1/crypto/encrypt",
            "{\"table\":\"users\",\"column\":\"email\",\"row_id\":\"42\",\"plaintext\":\"ada@example.com\"}",
            0));
  }

  /** The same paths answering the same shapes with only the JSON work (and raw AES-GCM). */
  private static Javalin bareRoutes() throws Exception {
    byte[] keyBytes = new byte[32];
    SecureRandom random = new SecureRandom();
    random.nextBytes(keyBytes);
    SecretKey key = new SecretKeySpec(keyBytes, "AES");
    AtomicLong seq = new AtomicLong();
    return Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.routes.post(
                  "/v1/consents/check",
                  ctx -> {
                    JsonNode body = JSON.readTree(ctx.body());
                    Map<String, Object> results = new LinkedHashMap<>();
                    for (JsonNode purpose : body.get("purposes")) {
                      results.put(
                          purpose.asText(), Map.of("allowed", true, "reason", "consent_valid"));
                    }
                    write(ctx, 200, Map.of("allowed", true, "results", results));
                  });
              config.routes.post(
                  "/v1/audit/events",
                  ctx -> {
                    JSON.readTree(ctx.body());
                    write(ctx, 201, Map.of("seq", seq.getAndIncrement()));
                  });
              config.routes.post(
                  "/v1/audit/events/batch",
                  ctx -> {
                    List<Long> seqs = new ArrayList<>();
                    for (JsonNode ignored : JSON.readTree(ctx.body()).get("events")) {
                      seqs.add(seq.getAndIncrement());
                    }
                    write(ctx, 201, Map.of("seqs", seqs));
                  });
              config.routes.post(
                  "/v1/crypto/encrypt",
                  ctx -> {
                    JsonNode body = JSON.readTree(ctx.body());
                    byte[] nonce = new byte[12];
                    random.nextBytes(nonce);
                    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                    cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
                    cipher.updateAAD(
                        (body.get("table").asText()
                                + "|"
                                + body.get("column").asText()
                                + "|"
                                + body.get("row_id").asText())
                            .getBytes(StandardCharsets.UTF_8));
                    byte[] sealed =
                        cipher.doFinal(
                            body.get("plaintext").asText().getBytes(StandardCharsets.UTF_8));
                    byte[] out = new byte[nonce.length + sealed.length];
                    System.arraycopy(nonce, 0, out, 0, nonce.length);
                    System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
                    write(ctx, 200, Map.of("ciphertext", Base64.getEncoder().encodeToString(out)));
                  });
            })
        .start("127.0.0.1", 0);
  }

  private static void write(Context ctx, int status, Object body) throws IOException {
    ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
  }

  /** A development token from the service's own CLI, as the quick start mints one. */
  private static String mint(Path jar, Path data) throws Exception {
    Process process =
        new ProcessBuilder(
                javaBinary(),
                "-jar",
                jar.toString(),
                "token",
                "mint",
                "--data-dir",
                data.toString(),
                "--tenant",
                "bench",
                "--scopes",
                "privacykit:admin")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String token = null;
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.strip().matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+")) {
          token = line.strip();
        }
      }
    }
    if (process.waitFor() != 0 || token == null) {
      throw new IllegalStateException("token mint failed");
    }
    return token;
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void post(String url, String token, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(url + " answered " + response.statusCode());
    }
  }
}
