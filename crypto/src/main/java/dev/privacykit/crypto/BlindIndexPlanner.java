package dev.privacykit.crypto;

/**
 * Chooses blind index sizes that do not leak, by CipherSweet's coincidence rule: with {@code R}
 * rows (or fewer possible input values) and {@code L} index bits, the expected number of rows that
 * share any one index value is {@code C = R / 2^L}. An index must keep {@code 2 <= C} (every term
 * matches at least two rows on average, so a term does not single a row out) and {@code C <
 * sqrt(R)} (the index still narrows a search). When a table has several indexes over related
 * fields, their bits add up: count them together.
 */
public final class BlindIndexPlanner {
  private BlindIndexPlanner() {}

  /** The effective population: the smaller of the row count and the number of possible inputs. */
  static double population(long expectedRows, long inputDomain) {
    return Math.min(
        (double) expectedRows, inputDomain <= 0 ? Double.MAX_VALUE : (double) inputDomain);
  }

  /** The largest safe size in bits, or 0 when no size is safe. */
  public static int maxBits(long expectedRows, long inputDomain) {
    double r = population(expectedRows, inputDomain);
    return (int) Math.floor(log2(r / 2));
  }

  /** The smallest useful size in bits. */
  public static int minBits(long expectedRows, long inputDomain) {
    double r = population(expectedRows, inputDomain);
    return (int) Math.floor(log2(Math.sqrt(r))) + 1;
  }

  /**
   * Checks a size.
   *
   * @param bits the index size, with the bits of related indexes on the same table added
   * @param expectedRows how many rows the table will hold
   * @param inputDomain how many distinct inputs are possible (10,000 for four digits), or 0 if
   *     unbounded
   * @throws IllegalArgumentException saying which rule fails and which sizes are safe
   */
  public static void check(int bits, long expectedRows, long inputDomain) {
    if (expectedRows < 1) {
      throw new IllegalArgumentException("expectedRows must be at least 1, was " + expectedRows);
    }
    double r = population(expectedRows, inputDomain);
    double coincidences = r / Math.pow(2, bits);
    int max = maxBits(expectedRows, inputDomain);
    int min = minBits(expectedRows, inputDomain);
    String range =
        min > max
            ? "no size is safe for so few rows; do not index this field"
            : "safe sizes are " + min + " to " + max + " bits";
    if (coincidences < 2) {
      throw new IllegalArgumentException(
          String.format(
              java.util.Locale.ROOT,
              "a %d-bit index over %.0f rows leaves %.3g coincidences per value; at least 2 are"
                  + " needed or index terms identify rows (%s)",
              bits,
              r,
              coincidences,
              range));
    }
    if (coincidences >= Math.sqrt(r)) {
      throw new IllegalArgumentException(
          String.format(
              java.util.Locale.ROOT,
              "a %d-bit index over %.0f rows leaves %.3g coincidences per value; fewer than %.0f"
                  + " (the square root of the rows) are needed for the index to be useful (%s)",
              bits,
              r,
              coincidences,
              Math.sqrt(r),
              range));
    }
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
