package dev.privacykit.policies;

import java.time.Period;

/**
 * How long personal data is kept, and what happens after.
 *
 * @param purpose the purpose it applies to, or null
 * @param category the data category (and its children) it applies to, or null
 * @param period how long after collection
 * @param action what happens then
 */
public record RetentionRule(String purpose, String category, Period period, Action action) {
  /** What happens at the end of the retention period. */
  public enum Action {
    /** Remove the data. */
    DELETE,
    /** Remove what identifies the person, keep the rest. */
    ANONYMISE
  }
}
