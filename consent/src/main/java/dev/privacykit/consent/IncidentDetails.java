package dev.privacykit.consent;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What is known of a personal data breach: what the authority's notification (GDPR Art. 33(3); DPDP
 * Rules 2025 rule 7(2)) and the principals' intimation (GDPR Art. 34(2); rule 7(1)) must say. All
 * but {@code nature} may be unknown at first and given later (GDPR Art. 33(4): in phases).
 *
 * @param nature what happened: the nature of the breach (required, 1 to 4000 characters)
 * @param categories the data categories concerned (policy category ids), may be empty
 * @param approximatePrincipals approximate number of principals concerned, or null
 * @param approximateRecords approximate number of personal data records concerned, or null
 * @param consequences the likely consequences, or null
 * @param measures measures taken or proposed to address it and mitigate risk, or null
 * @param contact the DPO or other contact point (name and contact details), or null
 * @param occurredAt when the breach occurred (its timing, rule 7(2)(a)), or null
 * @param location where it occurred (system, site), or null
 * @param circumstances broad facts of the events, circumstances and reasons (rule 7(2)(b)(ii))
 * @param responsible findings regarding the person who caused it (rule 7(2)(b)(iv)), or null
 * @param remedial remedial measures to prevent recurrence (rule 7(2)(b)(v)), or null
 * @param principalAdvice safety measures principals may take (rule 7(1)(d)), or null
 */
public record IncidentDetails(
    String nature,
    List<String> categories,
    Long approximatePrincipals,
    Long approximateRecords,
    String consequences,
    String measures,
    String contact,
    Instant occurredAt,
    String location,
    String circumstances,
    String responsible,
    String remedial,
    String principalAdvice) {
  private static final Pattern CATEGORY = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
  private static final long MAX_COUNT = 10_000_000_000L;

  /**
   * Checks every field.
   *
   * @throws ConsentException {@code invalid-field} naming the field
   */
  public IncidentDetails {
    text("nature", nature, 4000, true);
    categories = categories == null ? List.of() : List.copyOf(categories);
    if (categories.size() > 64) {
      throw invalid("categories", "categories must be at most 64");
    }
    for (int i = 0; i < categories.size(); i++) {
      if (!CATEGORY.matcher(categories.get(i)).matches()) {
        throw invalid(
            "categories/" + i, "a category is 1 to 128 letters, digits or '_', '.', ':', '-'");
      }
    }
    count("approximate_principals", approximatePrincipals);
    count("approximate_records", approximateRecords);
    text("consequences", consequences, 4000, false);
    text("measures", measures, 4000, false);
    text("contact", contact, 1000, false);
    text("location", location, 1000, false);
    text("circumstances", circumstances, 4000, false);
    text("responsible", responsible, 2000, false);
    text("remedial", remedial, 4000, false);
    text("principal_advice", principalAdvice, 4000, false);
  }

  /** Only the nature known: everything else is given later. */
  public static IncidentDetails of(String nature) {
    return new IncidentDetails(
        nature, List.of(), null, null, null, null, null, null, null, null, null, null, null);
  }

  private static void text(String field, String value, int max, boolean required) {
    if (value == null) {
      if (required) {
        throw invalid(field, field + " is required");
      }
      return;
    }
    if (value.isBlank() || value.length() > max) {
      throw invalid(field, field + " must be 1 to " + max + " characters");
    }
  }

  private static void count(String field, Long value) {
    if (value != null && (value < 0 || value > MAX_COUNT)) {
      throw invalid(field, field + " must be from 0 to " + MAX_COUNT);
    }
  }

  static ConsentException invalid(String field, String message) {
    return new ConsentException(ConsentException.Kind.INVALID_FIELD, field, message);
  }
}
