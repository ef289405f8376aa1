package dev.privacykit.policies;

/**
 * The engine's answer.
 *
 * @param allowed whether processing may go ahead
 * @param reason why, as a stable code
 * @param basis the lawful basis used (or that would be used), null when the purpose is unknown
 * @param detail a sentence for logs and problem bodies; it names purposes and categories, never the
 *     subject
 */
public record Decision(boolean allowed, ReasonCode reason, LawfulBasis basis, String detail) {

  static Decision allow(ReasonCode reason, LawfulBasis basis, String detail) {
    return new Decision(true, reason, basis, detail);
  }

  static Decision deny(ReasonCode reason, LawfulBasis basis, String detail) {
    return new Decision(false, reason, basis, detail);
  }
}
