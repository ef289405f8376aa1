package dev.privacykit.consent;

import static dev.privacykit.consent.NominationChecks.invalid;
import static dev.privacykit.consent.NominationChecks.notAhead;
import static dev.privacykit.consent.NominationChecks.reference;
import static dev.privacykit.consent.NominationChecks.required;

import dev.privacykit.policies.Guardianship;
import java.time.Instant;
import java.util.regex.Pattern;

/** The checks of a guardian link: what fits which ward, and what a verification must say. */
final class GuardianRules {
  private static final Pattern AADHAAR_LIKE = Pattern.compile("\\d{4}[ -]?\\d{4}[ -]?\\d{4}");

  private GuardianRules() {}

  static String evidenceReference(String field, String value, boolean required) {
    if (value == null && !required) {
      return null;
    }
    if (value == null
        || value.isBlank()
        || value.length() > 128
        || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw invalid(field, field + " must be 1 to 128 printable characters");
    }
    if (AADHAAR_LIKE.matcher(value.strip()).matches()) {
      throw invalid(
          field,
          field
              + " looks like an identity number; keep a token's id or a masked reference, never"
              + " the number itself");
    }
    return value;
  }

  /** A verification with every part it needs, its reference no document number, not ahead. */
  static GuardianVerification verification(GuardianVerification v, Instant now) {
    required("verification", v);
    required("verification/method", v.method());
    String ref = evidenceReference("verification/reference", v.reference(), true);
    String issuer = v.issuer();
    if (v.method().needsIssuer()) {
      issuer = evidenceReference("verification/issuer", issuer, true);
    } else if (issuer != null) {
      issuer = evidenceReference("verification/issuer", issuer, false);
    }
    Instant at =
        notAhead(
            "verification/verified_at", required("verification/verified_at", v.verifiedAt()), now);
    reference("verification/verified_by", v.verifiedBy());
    return new GuardianVerification(
        v.method(),
        ref,
        issuer,
        at.truncatedTo(java.time.temporal.ChronoUnit.MICROS),
        v.verifiedBy());
  }

  /**
   * A parent's adulthood and identity are verified by Rule 10's means, a lawful guardian's
   * appointment by Rule 11's; a person with a disability has a lawful guardian, not a parent.
   */
  static void fits(
      Guardianship.Kind kind, GuardianLink.Relation relation, GuardianVerification.Method method) {
    if (kind == Guardianship.Kind.DISABILITY && relation == GuardianLink.Relation.PARENT) {
      throw invalid(
          "relation",
          "a person with a disability acts through her lawful guardian (DPDP s.9(1), Rule 11)");
    }
    if (relation == GuardianLink.Relation.PARENT && !method.verifiesParent()) {
      throw invalid(
          "verification/method",
          "a parent is verified by Rule 10's means: held_details, declared_details or"
              + " virtual_token");
    }
    if (relation == GuardianLink.Relation.LAWFUL_GUARDIAN && method.verifiesParent()) {
      throw invalid(
          "verification/method",
          "a lawful guardian is verified by her appointment (Rule 11): court_order,"
              + " designated_authority or local_level_committee");
    }
  }

  static ConsentException notVerified() {
    return new ConsentException(
        ConsentException.Kind.GUARDIAN_NOT_VERIFIED,
        "acting_party",
        "the caller is not a verified parent or lawful guardian of this data principal now");
  }
}
