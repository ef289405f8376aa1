package dev.privacykit.consent;

import dev.privacykit.policies.ConsentState;
import dev.privacykit.policies.Guardianship;
import dev.privacykit.policies.Purpose;
import java.time.Instant;
import java.util.Optional;

/**
 * The consent ledger's checks for wards (DPDP s.9, Rules 10-11; GDPR Art. 8): a change made as a
 * guardian must come from a verified guardian of the subject, and is stored with the link it was
 * made under; a give or renew for a ward counts only from one, unless the purpose is exempt; a
 * child's consent to tracking, targeted advertising or harm is refused, since nothing makes it
 * lawful. Refusals and withdrawals are taken from the ward herself too: they only protect her.
 */
final class GuardianChecks {
  private GuardianChecks() {}

  static ConsentChange check(
      GuardianStore store, Purpose purpose, ConsentChange change, ConsentState state, Instant now) {
    Provenance provenance = change.provenance();
    String tenant = change.tenant();
    String subject = change.subject();
    var today = Guardians.today(now);
    if (change.actingParty() != ActingParty.GUARDIAN) {
      if (provenance.guardian() != null || provenance.guardianLink() != null) {
        throw new ConsentException(
            ConsentException.Kind.INVALID_FIELD,
            "guardian",
            "guardian is named only when acting_party is guardian");
      }
    } else {
      if (provenance.guardian() == null) {
        throw GuardianRules.notVerified();
      }
      GuardianLink link =
          store
              .activeLink(tenant, subject, provenance.guardian(), today)
              .orElseThrow(GuardianRules::notVerified);
      change = change.withProvenance(provenance.withGuardian(link.guardian(), link.id()));
    }
    boolean permissive = state == ConsentState.GIVEN || state == ConsentState.RENEWED;
    if (!permissive) {
      return change;
    }
    Optional<WardMarking> ward = store.marking(tenant, subject, today);
    if (ward.isEmpty()) {
      return change;
    }
    var safety = purpose.children();
    if (ward.get().kind() == Guardianship.Kind.CHILD
        && (safety.detrimental() || (safety.tracksOrTargets() && safety.exemption() == null))) {
      throw new ConsentException(
          ConsentException.Kind.CHILD_PROTECTED,
          "purpose",
          "purpose '"
              + purpose.id()
              + "' tracks, targets advertising or harms well-being, which is never done for a"
              + " child (DPDP s.9(2)-(3)); no consent is recorded");
    }
    if (change.actingParty() != ActingParty.GUARDIAN && safety.exemption() == null) {
      throw new ConsentException(
          ConsentException.Kind.GUARDIAN_CONSENT_REQUIRED,
          "acting_party",
          "the subject is a ward: consent counts only from a verified parent or lawful guardian"
              + " (DPDP s.9(1); GDPR Art. 8(1))");
    }
    return change;
  }
}
