package dev.privacykit.crypto;

import java.text.Normalizer;
import java.util.Locale;

/**
 * A change applied to a value before it is indexed, so that values a person would call equal get
 * equal blind index terms. Transforms compose with {@link #andThen}.
 */
@FunctionalInterface
public interface Transform {

  /** Applies the transform. */
  String apply(String value);

  /** This transform, then {@code next}. */
  default Transform andThen(Transform next) {
    return value -> next.apply(apply(value));
  }

  /** Leaves the value as it is. */
  Transform IDENTITY = value -> value;

  /** Lower case, by the root locale. */
  Transform LOWERCASE = value -> value.toLowerCase(Locale.ROOT);

  /** Trims, and folds every run of white space to one space. */
  Transform COLLAPSE_WHITESPACE = value -> value.strip().replaceAll("\\s+", " ");

  /** Unicode NFKC, white space collapsed, lower case: for names and e-mail addresses. */
  Transform NORMALIZE =
      value ->
          COLLAPSE_WHITESPACE
              .apply(Normalizer.normalize(value, Normalizer.Form.NFKC))
              .toLowerCase(Locale.ROOT);

  /** Only the digits: for phone numbers and card numbers written with spaces or dashes. */
  Transform DIGITS_ONLY = value -> value.replaceAll("[^0-9]", "");

  /**
   * The last {@code n} characters (all of them when shorter), such as the last four digits of a
   * phone number.
   */
  static Transform lastN(int n) {
    if (n < 1 || n > 64) {
      throw new IllegalArgumentException("lastN takes 1 to 64 characters, was " + n);
    }
    return value -> value.length() <= n ? value : value.substring(value.length() - n);
  }
}
