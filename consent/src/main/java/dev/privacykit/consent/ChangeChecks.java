package dev.privacykit.consent;

import dev.privacykit.policies.ConsentState;
import dev.privacykit.policies.Notice;
import dev.privacykit.policies.NoticeVersion;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.policies.Purpose;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The policy's word on one consent change, before anything is stored: the purpose exists and relies
 * on consent, and a give or renew names a notice version and language the policy publishes (and,
 * under DPDP, a language at all); the notice text's hash is checked or added ({@link
 * NoticeChecks}).
 */
final class ChangeChecks {
  private ChangeChecks() {}

  /**
   * A change the policy accepts.
   *
   * @param change the change as it is to be stored (checks may complete its provenance)
   * @param purpose the purpose it is for
   * @param validUntil when the consent stops being valid, or null
   */
  record Checked(ConsentChange change, Purpose purpose, Instant validUntil) {}

  static Checked check(PolicySet policy, ConsentChange change, ConsentState state) {
    boolean viaManager = change.provenance().consentManager() != null;
    if (viaManager != (change.method() == ConsentMethod.CONSENT_MANAGER)) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD,
          "method",
          "a change through a Consent Manager names the manager and arrives as its signed artefact");
    }
    Purpose purpose =
        policy
            .purpose(change.purpose())
            .orElseThrow(
                () ->
                    new ConsentException(
                        ConsentException.Kind.UNKNOWN_PURPOSE,
                        "purpose '" + change.purpose() + "' is not in the policy"));
    if (!purpose.requiresConsent()) {
      throw new ConsentException(
          ConsentException.Kind.NOT_CONSENT_BASED,
          "purpose '"
              + purpose.id()
              + "' relies on "
              + purpose.basis().code()
              + ", not on consent");
    }
    Optional<Notice> notice =
        purpose.notice() == null ? Optional.empty() : policy.notice(purpose.notice());
    boolean asksNotice = state == ConsentState.GIVEN || state == ConsentState.RENEWED;
    if (asksNotice) {
      NoticeVersion version =
          notice
              .flatMap(n -> n.version(change.noticeVersion()))
              .orElseThrow(
                  () ->
                      new ConsentException(
                          ConsentException.Kind.UNKNOWN_NOTICE_VERSION,
                          "notice '"
                              + purpose.notice()
                              + "' has no version "
                              + change.noticeVersion()));
      if (change.language() != null && !version.languages().contains(change.language())) {
        throw new ConsentException(
            ConsentException.Kind.UNKNOWN_LANGUAGE,
            "notice '"
                + purpose.notice()
                + "' version "
                + version.version()
                + " is not published in '"
                + change.language()
                + "'");
      }
    }
    ConsentChange proven = NoticeChecks.check(policy, notice, change, asksNotice);
    Instant validUntil =
        asksNotice && purpose.consentValidity() != null
            ? change
                .evidence()
                .collectedAt()
                .atOffset(ZoneOffset.UTC)
                .plus(purpose.consentValidity())
                .toInstant()
            : null;
    return new Checked(proven, purpose, validUntil);
  }
}
