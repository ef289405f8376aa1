package dev.privacykit.consent;

import java.time.Instant;

/**
 * Which audit entries point at the principals a breach affected: those of the incident's tenant
 * recorded in {@code [from, to)}, by {@code actor}, for {@code purpose}, touching {@code category}
 * (each filter left out when null). Their distinct subjects are the affected principals.
 *
 * @param actor only entries by this actor, or null
 * @param purpose only entries for this purpose, or null
 * @param category only entries naming this data category, or null
 * @param from the window's start (required)
 * @param to the window's end, after {@code from} (required)
 */
public record AffectedSearch(
    String actor, String purpose, String category, Instant from, Instant to) {
  /**
   * Checks the values.
   *
   * @throws ConsentException {@code invalid-field} naming the field
   */
  public AffectedSearch {
    optional("actor", actor, 256);
    optional("purpose", purpose, 128);
    optional("category", category, 128);
    if (from == null) {
      throw IncidentDetails.invalid("from", "from is required");
    }
    if (to == null) {
      throw IncidentDetails.invalid("to", "to is required");
    }
    if (!to.isAfter(from)) {
      throw IncidentDetails.invalid("to", "to must be after from");
    }
  }

  private static void optional(String field, String value, int max) {
    if (value != null && (value.isBlank() || value.length() > max)) {
      throw IncidentDetails.invalid(field, field + " must be 1 to " + max + " characters");
    }
  }
}
