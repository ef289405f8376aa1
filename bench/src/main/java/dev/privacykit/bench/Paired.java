package dev.privacykit.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Figures measured in pairs: the subject and its baseline run interleaved, round after round (A B,
 * then B A, so a drift on the machine hits both alike), the ratio is taken pair by pair, and the
 * median ratio is reported with its min–max spread. Any other load on a shared two-core machine
 * then shows up as spread instead of skewing the ratio. A spread wider than {@value #WIDE_SPREAD}
 * of the median is warned about on standard error.
 */
final class Paired {
  static final double WIDE_SPREAD = 0.25;

  /** One measurement of something, as operations a second. */
  @FunctionalInterface
  interface Measurement {
    double opsPerSecond() throws Exception;
  }

  /** The result of the rounds. */
  record Figure(String bench, double[] subject, double[] baseline, double[] ratios) {
    double subjectMedian() {
      return median(subject);
    }

    double baselineMedian() {
      return median(baseline);
    }

    double ratio() {
      return median(ratios);
    }

    double spreadMin() {
      return Arrays.stream(ratios).min().orElse(Double.NaN);
    }

    double spreadMax() {
      return Arrays.stream(ratios).max().orElse(Double.NaN);
    }

    /**
     * The JSON fields {@code ops_per_s}, {@code baseline_ops_per_s} (medians), {@code ratio}
     * (median of the pair ratios), {@code spread_min}, {@code spread_max} and {@code rounds}.
     */
    String fields() {
      return String.format(
          Locale.ROOT,
          "\"ops_per_s\": %.0f, \"baseline_ops_per_s\": %.0f, \"ratio\": %.3f, \"spread_min\": %.3f,"
              + " \"spread_max\": %.3f, \"rounds\": %d",
          subjectMedian(),
          baselineMedian(),
          ratio(),
          spreadMin(),
          spreadMax(),
          ratios.length);
    }
  }

  private Paired() {}

  /**
   * Runs {@code rounds} pairs, alternating which goes first, and warns on standard error when the
   * spread of the pair ratios is wide.
   */
  static Figure measure(String bench, int rounds, Measurement subject, Measurement baseline)
      throws Exception {
    List<double[]> pairs = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      double s;
      double b;
      if (round % 2 == 0) {
        s = subject.opsPerSecond();
        b = baseline.opsPerSecond();
      } else {
        b = baseline.opsPerSecond();
        s = subject.opsPerSecond();
      }
      pairs.add(new double[] {s, b});
    }
    return figure(bench, pairs);
  }

  /** A figure from pairs measured elsewhere (JMH rounds), each {@code {subject, baseline}}. */
  static Figure figure(String bench, List<double[]> pairs) {
    double[] subject = pairs.stream().mapToDouble(p -> p[0]).toArray();
    double[] baseline = pairs.stream().mapToDouble(p -> p[1]).toArray();
    double[] ratios = pairs.stream().mapToDouble(p -> p[0] / p[1]).toArray();
    Figure figure = new Figure(bench, subject, baseline, ratios);
    double width = (figure.spreadMax() - figure.spreadMin()) / figure.ratio();
    if (width > WIDE_SPREAD) {
      System.err.printf(
          Locale.ROOT,
          "bench: WARNING %s: pair ratios spread %.3f..%.3f around %.3f (%.0f%% of the median);"
              + " the machine was busy, re-run before recording%n",
          bench,
          figure.spreadMin(),
          figure.spreadMax(),
          figure.ratio(),
          width * 100);
    }
    return figure;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n == 0
        ? Double.NaN
        : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
