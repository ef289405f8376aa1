package dev.privacykit.audit;

import java.time.Instant;
import java.util.List;

/**
 * How much processing happened per purpose, data category and recipient over a period: the counts
 * behind a GDPR Art. 30 record of processing activities, computed against a signed checkpoint.
 *
 * @param tenant the tenant
 * @param from the start of the period (inclusive)
 * @param to the end of the period (exclusive)
 * @param checkpoint the checkpoint it was computed against
 * @param rows one row per (purpose, category, recipient), by purpose then category
 */
public record ProcessingSummary(
    String tenant, Instant from, Instant to, Checkpoint checkpoint, List<Row> rows) {

  /**
   * One combination and how often it occurred.
   *
   * @param purpose the purpose, or null for entries without one
   * @param category the data category, or null
   * @param recipient the recipient, or null when not disclosed
   * @param entries how many entries
   */
  public record Row(String purpose, String category, String recipient, long entries) {}
}
