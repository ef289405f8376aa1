package dev.privacykit.consent;

import java.time.Duration;
import java.time.Instant;

/**
 * The input checks of the nomination register: each failure is an {@code invalid-field} naming the
 * field, and nothing is stored. Stateless.
 */
final class NominationChecks {
  /** How far ahead of the clock a given time may lie (clock skew between machines). */
  static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);

  private NominationChecks() {}

  /** A reference (tenant, principal, nominee, verifier): 1 to 256 printable characters. */
  static String reference(String field, String value) {
    if (value == null
        || value.isBlank()
        || value.length() > 256
        || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw invalid(field, field + " must be 1 to 256 printable characters");
    }
    return value;
  }

  /**
   * A contact reference, or null: a reference into the host's records (or {@link
   * SubjectIdentifiers}'), never an e-mail address or a phone number kept here in clear.
   */
  static String contactReference(String value) {
    if (value == null) {
      return null;
    }
    reference("contact_reference", value);
    if (value.contains("@") || value.replaceAll("[\\s()+.-]", "").matches("\\d{6,}")) {
      throw invalid(
          "contact_reference",
          "contact_reference must be a reference to the contact details, not an e-mail address or"
              + " a phone number");
    }
    return value;
  }

  /** Optional free text of 1 to 1,000 characters (a reason). */
  static String note(String field, String value, boolean required) {
    if (value == null) {
      if (required) {
        throw invalid(field, field + " is required: say why");
      }
      return null;
    }
    if (value.isBlank() || value.length() > 1000) {
      throw invalid(field, field + " must be 1 to 1000 characters");
    }
    return value;
  }

  /** A given time, required, at most {@link #FUTURE_TOLERANCE} ahead of {@code now}. */
  static Instant notAhead(String field, Instant value, Instant now) {
    if (value == null) {
      throw invalid(field, field + " is required");
    }
    if (value.isAfter(now.plus(FUTURE_TOLERANCE))) {
      throw invalid(field, field + " lies in the future");
    }
    return value;
  }

  static <T> T required(String field, T value) {
    if (value == null) {
      throw invalid(field, field + " is required");
    }
    return value;
  }

  static ConsentException invalid(String field, String message) {
    return new ConsentException(ConsentException.Kind.INVALID_FIELD, field, message);
  }

  static ConsentException transition(String message) {
    return new ConsentException(ConsentException.Kind.INVALID_TRANSITION, message);
  }

  /** The one answer to anyone who may not act for a principal now, whatever the reason. */
  static ConsentException notInForce() {
    return new ConsentException(
        ConsentException.Kind.NOMINATION_NOT_IN_FORCE,
        "you may not act for this data principal: no nomination of yours is in force");
  }
}
