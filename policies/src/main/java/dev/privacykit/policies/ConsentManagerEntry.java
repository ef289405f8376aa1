package dev.privacykit.policies;

import java.util.Objects;

/**
 * A Consent Manager registered with the Data Protection Board of India, as the policy names it
 * (DPDP Act s.2(g), s.6(7)-(9); DPDP Rules 2025, rule 4): the fiduciary accepts the consent
 * artefacts it signs with one of the public keys listed here.
 *
 * @param id the id the manager is known by in this policy (its artefacts' {@code iss})
 * @param registrationNumber the Board's registration number
 * @param name the manager's name
 * @param jwks its public keys, as a JSON Web Key Set in JSON text (public parts only; each key has
 *     a {@code kid})
 */
public record ConsentManagerEntry(String id, String registrationNumber, String name, String jwks) {
  /** Checks that every part is there. */
  public ConsentManagerEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(registrationNumber, "registrationNumber");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(jwks, "jwks");
  }
}
