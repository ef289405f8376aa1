package dev.privacykit.consent;

import dev.privacykit.policies.Notice;
import dev.privacykit.policies.NoticeText;
import dev.privacykit.policies.NoticeVersion;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.policies.Regime;
import java.util.Optional;

/**
 * What a consent change proves about the notice shown (DPDP s.5, s.6(3), Rule 3; GDPR Art. 7(1)): a
 * DPDP give or renew names the language its notice was shown in, and the event stores the SHA-256
 * of the exact text of that version in that language, taken from the policy. A hash the caller
 * sends must be the policy's, else nothing is stored.
 *
 * <p>Without a language (GDPR only) no hash is computed: the ledger never claims more than the
 * caller said was shown. A hash sent without a language must still be the hash of one of the
 * version's texts. An import (history PrivacyKit did not witness) keeps the hash its line carries,
 * checked the same way, and computes none, so an export made before hashes existed re-imports as it
 * is.
 */
final class NoticeChecks {
  private NoticeChecks() {}

  static ConsentChange check(
      PolicySet policy, Optional<Notice> notice, ConsentChange change, boolean asksNotice) {
    if (asksNotice && policy.regime() == Regime.DPDP && change.language() == null) {
      throw new ConsentException(
          ConsentException.Kind.LANGUAGE_REQUIRED,
          "language",
          "a DPDP consent names the language its notice was shown in: English or a language of"
              + " the Eighth Schedule (s.5(3), s.6(3))");
    }
    Optional<NoticeVersion> version = notice.flatMap(n -> n.version(change.noticeVersion()));
    String language = change.language();
    Optional<String> policyHash =
        language == null ? Optional.empty() : version.flatMap(v -> v.hash(language));
    String sent = change.provenance().noticeHash();
    if (sent != null) {
      boolean known =
          language == null
              ? version.stream()
                  .flatMap(v -> v.texts().values().stream())
                  .map(NoticeText::sha256)
                  .anyMatch(sent::equals)
              : policyHash.filter(sent::equals).isPresent();
      if (!known) {
        throw new ConsentException(
            ConsentException.Kind.NOTICE_HASH_MISMATCH,
            "notice_hash",
            "notice_hash is not the SHA-256 of the text of notice '"
                + notice.map(Notice::id).orElse("-")
                + "' version "
                + change.noticeVersion()
                + (language == null ? "" : " in '" + language + "'")
                + ": policy "
                + policyHash.orElse("(no text)")
                + ", provided "
                + sent);
      }
      return change;
    }
    if (asksNotice && change.method() != ConsentMethod.IMPORT && policyHash.isPresent()) {
      return change.withProvenance(change.provenance().withNoticeHash(policyHash.get()));
    }
    return change;
  }
}
