package dev.privacykit.bench;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.audit.Cosigner;
import dev.privacykit.audit.Witness;
import dev.privacykit.audit.WitnessEndpoint;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/run audit-publication}: appends with publication to a local witness on, against the
 * same appends with it off (two logs in two schemas, interleaved rounds); and the latency from a
 * checkpoint to its stored cosignature, against a bare HTTP round trip to the same server (a
 * request the witness refuses at once: no signed note), the witness as {@code privacykit witness
 * serve} runs it.
 */
final class AuditPublicationBench {
  private static final String ORIGIN = "bench.privacykit.dev/audit";
  private static final int ROUNDS = 5;

  private AuditPublicationBench() {}

  static void run() throws Exception {
    CheckpointSigner signer = CheckpointSigner.generate(ORIGIN);
    Path dir = Files.createTempDirectory("pk-witness");
    Cosigner cosigner = Cosigner.generate("bench.witness/w1");
    Witness witness = Witness.open(dir, cosigner, Map.of(ORIGIN, signer.verifierKey()));
    // The witness as `privacykit witness serve` runs it.
    io.javalin.Javalin server = dev.privacykit.server.WitnessServer.start(witness, "127.0.0.1", 0);
    String base = "http://127.0.0.1:" + server.port() + "/";
    List<WitnessEndpoint> witnesses =
        List.of(new WitnessEndpoint(URI.create(base), cosigner.key()));
    String on = "pk_bench_pub_on_" + Long.toHexString(System.nanoTime());
    String off = "pk_bench_pub_off_" + Long.toHexString(System.nanoTime());
    try (Database dbOn =
            Database.open(BenchMain.postgresUrl(), c -> c.schema(on).maximumPoolSize(8));
        Database dbOff =
            Database.open(BenchMain.postgresUrl(), c -> c.schema(off).maximumPoolSize(8))) {
      dbOn.migrate();
      dbOff.migrate();
      try (AuditLog published =
              AuditLog.open(
                  dbOn,
                  c ->
                      c.origin(ORIGIN)
                          .signer(signer)
                          .witnesses(witnesses, 1)
                          .publishInterval(Duration.ofMillis(50)));
          AuditLog plain = AuditLog.open(dbOff, c -> c.origin(ORIGIN).signer(signer))) {
        Paired.Figure appends =
            Paired.measure(
                "audit.append_with_publication",
                ROUNDS,
                () -> AuditBench.sustained(published, 0).length / 4.0,
                () -> AuditBench.sustained(plain, 0).length / 4.0);
        System.out.printf(
            Locale.ROOT,
            "{\"bench\": \"audit.append_with_publication\", \"baseline\": \"publication_off\", %s}%n",
            appends.fields());
      }
      // Latency alone: one log, no other publisher sharing the witness.
      try (AuditLog quiet =
          AuditLog.open(
              dbOn,
              c ->
                  c.origin(ORIGIN)
                      .signer(signer)
                      .witnesses(witnesses, 1)
                      .publishInterval(Duration.ofHours(1)))) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long[] publication = new long[200];
        long[] roundTrip = new long[200];
        for (int i = 0; i < publication.length; i++) {
          quiet.append(AuditBench.entry(i)).join();
          long size = quiet.checkpoint().size();
          long t = System.nanoTime();
          quiet
              .publication()
              .publishNow(); // one round: proof, witness, verified cosignature stored
          publication[i] = System.nanoTime() - t;
          if (quiet.publication().cosignatures(size).isEmpty()) {
            throw new IllegalStateException("not cosigned after one round");
          }
          long r = System.nanoTime();
          http.send(
              HttpRequest.newBuilder(URI.create(base + "add-checkpoint"))
                  .POST(HttpRequest.BodyPublishers.ofString("old 0\n\n" + "x".repeat(300)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
          roundTrip[i] = System.nanoTime() - r;
        }
        Arrays.sort(publication);
        Arrays.sort(roundTrip);
        System.out.printf(
            Locale.ROOT,
            "{\"bench\": \"audit.publication_latency\", \"baseline\": \"http_round_trip\", \"p50_ms\": %.2f,"
                + " \"p99_ms\": %.2f, \"baseline_p50_ms\": %.2f, \"baseline_p99_ms\": %.2f, \"samples\": %d}%n",
            publication[100] / 1e6,
            publication[197] / 1e6,
            roundTrip[100] / 1e6,
            roundTrip[197] / 1e6,
            publication.length);
      } finally {
        Jdbis.of(dbOn).useHandle(h -> h.execute("DROP SCHEMA " + on + " CASCADE"));
        Jdbis.of(dbOff).useHandle(h -> h.execute("DROP SCHEMA " + off + " CASCADE"));
      }
    } finally {
      server.stop();
    }
  }
}
