package dev.privacykit.consent;

import java.time.Instant;

/**
 * A Consent Manager the fiduciary accepts artefacts from (DPDP Act s.2(g), s.6(7)-(9); Rules 2025
 * rule 4): registered in the policy (for every tenant) or by API (for one tenant).
 *
 * @param id its id, the {@code iss} of its artefacts
 * @param registrationNumber the Data Protection Board's registration number
 * @param name its name
 * @param jwks its public keys, a JSON Web Key Set in JSON text
 * @param webhookId the webhook that stands for it (changes are sent there), or null
 * @param status ACTIVE, SUSPENDED (artefacts refused, nothing sent) or REMOVED
 * @param fromPolicy whether the policy registers it (then only the policy changes it)
 * @param updatedAt when it was registered or last changed, or null for a policy one
 */
public record ConsentManager(
    String id,
    String registrationNumber,
    String name,
    String jwks,
    String webhookId,
    Status status,
    boolean fromPolicy,
    Instant updatedAt) {

  /** Whether artefacts are accepted and changes sent. */
  public enum Status {
    /** Artefacts accepted, changes sent. */
    ACTIVE,
    /** Artefacts refused, changes neither queued nor sent, until resumed. */
    SUSPENDED,
    /** Gone: its id cannot be used for this tenant again. */
    REMOVED
  }
}
