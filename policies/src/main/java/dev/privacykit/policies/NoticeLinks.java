package dev.privacykit.policies;

import java.net.URI;

/**
 * Where a notice sends the person (DPDP Rule 3; GDPR Art. 13(2)(b)–(d)): each an https URL, or null
 * when a GDPR notice leaves it out (a DPDP notice must have all three).
 *
 * @param withdraw where consent is withdrawn, as easily as it was given (DPDP s.6(4), GDPR Art.
 *     7(3))
 * @param rights where the person exercises her rights (DPDP s.11–14, GDPR Art. 15–22)
 * @param complaint where to complain: the Data Protection Board of India (DPDP s.5(1)(iii)) or a
 *     supervisory authority (GDPR Art. 13(2)(d))
 */
public record NoticeLinks(URI withdraw, URI rights, URI complaint) {
  /** No links. */
  public static final NoticeLinks NONE = new NoticeLinks(null, null, null);

  /** Whether all three links are there. */
  public boolean isComplete() {
    return withdraw != null && rights != null && complaint != null;
  }
}
