package dev.privacykit.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code bench/run NAME}: runs one suite and prints one JSON line per figure, each with the
 * baseline it was measured against in the same run, interleaved round by round ({@link Paired}):
 * {@code ratio} is the median of the pair ratios, {@code spread_min} and {@code spread_max} their
 * range, {@code ops_per_s} and {@code baseline_ops_per_s} the medians.
 */
public final class BenchMain {
  private BenchMain() {}

  /**
   * The PostgreSQL URL the benchmarks use: {@code PRIVACYKIT_BENCH_POSTGRES_URL} or the local one.
   */
  static String postgresUrl() {
    return System.getenv()
        .getOrDefault(
            "PRIVACYKIT_BENCH_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
  }

  /** A figure and the baseline it is compared to. */
  record Comparison(String bench, String method, String baseline) {}

  public static void main(String[] args) throws Exception {
    String suite = args.length == 0 ? "crypto" : args[0];
    switch (suite) {
      case "crypto" -> crypto();
      case "audit" -> AuditBench.run();
      case "audit-verify" -> AuditVerifyBench.run();
      case "audit-publication" -> AuditPublicationBench.run();
      case "consent" -> ConsentBench.run();
      case "http" -> HttpBench.run();
      case "service" -> ServiceBench.run();
      case "scale" -> ScaleBench.run();
      default -> {
        System.err.println(
            "unknown suite " + suite + "; known: crypto, audit, consent, http, service, scale");
        System.exit(2);
      }
    }
  }

  private static void crypto() throws Exception {
    List<Comparison> comparisons =
        List.of(
            new Comparison("field_encrypt", "fieldCipherEncrypt", "rawJdkEncrypt"),
            new Comparison("field_encrypt", "fieldCipherEncrypt", "rawJdkEncryptAad"),
            new Comparison("field_encrypt", "fieldCipherEncrypt", "tinkEncrypt"),
            new Comparison("field_decrypt", "fieldCipherDecrypt", "rawJdkDecrypt"),
            new Comparison("field_decrypt", "fieldCipherDecrypt", "rawJdkDecryptAad"),
            new Comparison("field_decrypt", "fieldCipherDecrypt", "tinkDecrypt"),
            new Comparison("blind_index", "blindIndexTerm", "rawJdkHmac"),
            new Comparison("subject_key_encrypt", "subjectKeyEncrypt", "fieldCipherEncrypt"));
    int rounds = Integer.getInteger("bench.rounds", 5);
    for (int threads : new int[] {1, 2}) {
      Options options =
          new OptionsBuilder()
              .include(
                  CryptoBenchmarks.class.getName() + "\\." + System.getProperty("bench.filter", ""))
              .forks(1)
              .warmupIterations(1)
              .warmupTime(TimeValue.seconds(1))
              .measurementIterations(2)
              .measurementTime(TimeValue.seconds(1))
              .threads(threads)
              .shouldDoGC(false)
              .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
              .build();
      // Each round is a fresh JMH run of every method, so a subject and its baseline are measured
      // minutes apart at most, round after round, and paired within a round.
      List<Map<String, Double>> perRound = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        Map<String, Double> opsPerSecond = new LinkedHashMap<>();
        for (RunResult result : new Runner(options).run()) {
          String method = result.getParams().getBenchmark();
          method = method.substring(method.lastIndexOf('.') + 1);
          opsPerSecond.put(method, result.getPrimaryResult().getScore());
        }
        perRound.add(opsPerSecond);
        System.err.printf(
            Locale.ROOT,
            "crypto threads=%d round %d/%d: %s%n",
            threads,
            round + 1,
            rounds,
            opsPerSecond);
      }
      for (Comparison c : comparisons) {
        List<double[]> pairs = new ArrayList<>();
        for (Map<String, Double> round : perRound) {
          if (round.containsKey(c.method()) && round.containsKey(c.baseline())) {
            pairs.add(new double[] {round.get(c.method()), round.get(c.baseline())});
          }
        }
        if (pairs.isEmpty()) {
          continue;
        }
        Paired.Figure figure = Paired.figure("crypto." + c.bench() + " vs " + c.baseline(), pairs);
        System.out.println(
            String.format(
                Locale.ROOT,
                "{\"bench\": \"crypto.%s\", \"threads\": %d, \"baseline\": \"%s\", %s}",
                c.bench(),
                threads,
                c.baseline(),
                figure.fields()));
      }
    }
  }
}
