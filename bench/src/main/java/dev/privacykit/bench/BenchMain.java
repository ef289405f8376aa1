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
 * baseline it was measured against in the same run and the ratio {@code ops_per_s /
 * baseline_ops_per_s}.
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
      case "consent" -> ConsentBench.run();
      case "http" -> HttpBench.run();
      case "service" -> ServiceBench.run();
      default -> {
        System.err.println(
            "unknown suite " + suite + "; known: crypto, audit, consent, http, service");
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
    for (int threads : new int[] {1, 2}) {
      Options options =
          new OptionsBuilder()
              .include(
                  CryptoBenchmarks.class.getName() + "\\." + System.getProperty("bench.filter", ""))
              .forks(1)
              .warmupIterations(2)
              .warmupTime(TimeValue.seconds(1))
              .measurementIterations(3)
              .measurementTime(TimeValue.seconds(2))
              .threads(threads)
              .shouldDoGC(false)
              .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
              .build();
      Map<String, Double> opsPerSecond = new LinkedHashMap<>();
      for (RunResult result : new Runner(options).run()) {
        String method = result.getParams().getBenchmark();
        method = method.substring(method.lastIndexOf('.') + 1);
        opsPerSecond.put(method, result.getPrimaryResult().getScore());
      }
      opsPerSecond.forEach(
          (method, ops) ->
              System.err.printf(Locale.ROOT, "%s threads=%d: %.0f ops/s%n", method, threads, ops));
      List<String> lines = new ArrayList<>();
      for (Comparison c : comparisons) {
        if (!opsPerSecond.containsKey(c.method()) || !opsPerSecond.containsKey(c.baseline())) {
          continue;
        }
        double ops = opsPerSecond.get(c.method());
        double base = opsPerSecond.get(c.baseline());
        lines.add(
            String.format(
                Locale.ROOT,
                "{\"bench\": \"crypto.%s\", \"threads\": %d, \"ops_per_s\": %.0f, \"baseline\":"
                    + " \"%s\", \"baseline_ops_per_s\": %.0f, \"ratio\": %.3f}",
                c.bench(),
                threads,
                ops,
                c.baseline(),
                base,
                ops / base));
      }
      lines.forEach(System.out::println);
    }
  }
}
