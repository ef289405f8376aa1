package dev.privacykit.policies;

import java.util.Objects;

/**
 * That a data principal is a child, or a person with a disability who has a lawful guardian, so
 * that consent counts only when a verified parent or lawful guardian gave it (DPDP Act s.9(1),
 * Rules 10 and 11; GDPR Art. 8), and, for a child, that tracking, behavioural monitoring, targeted
 * advertising and processing detrimental to her well-being are refused (DPDP s.9(2)-(3)).
 *
 * @param kind a child or a person with a disability who has a lawful guardian
 * @param consentByGuardian whether the consent now recorded for the purpose was given through a
 *     verified guardian link that is still in force
 */
public record Guardianship(Kind kind, boolean consentByGuardian) {

  /** Whose data it is. */
  public enum Kind {
    /** Under the regime's age of a child (DPDP s.2(f): under 18; GDPR Art. 8: 13 to 16). */
    CHILD,
    /** A person with a disability who has a lawful guardian (DPDP s.9(1), Rule 11). */
    DISABILITY
  }

  /** Checks the kind. */
  public Guardianship {
    Objects.requireNonNull(kind, "kind");
  }
}
