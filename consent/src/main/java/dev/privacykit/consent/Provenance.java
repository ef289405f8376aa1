package dev.privacykit.consent;

/**
 * What else a consent change carries as proof, beyond its {@link Evidence}: the exact notice text
 * shown, the verified guardian who acted for a child or a person with a disability, and the Consent
 * Manager whose signed artefact carried the change. Each part is null when it does not apply.
 *
 * @param noticeHash the SHA-256 of the exact notice text shown, in lower-case hex, or null
 * @param guardian the pseudonymous reference of the parent or lawful guardian who acted, or null
 * @param guardianLink the id of the verified guardian link the guardian acted under, or null
 * @param consentManager the id of the Consent Manager the change came through, or null
 * @param artefact the id of the Consent Manager's signed artefact, or null
 */
public record Provenance(
    String noticeHash,
    String guardian,
    String guardianLink,
    String consentManager,
    String artefact) {

  /** Nothing beyond the evidence. */
  public static final Provenance NONE = new Provenance(null, null, null, null, null);

  /** Checks the lengths. */
  public Provenance {
    if (noticeHash != null && !noticeHash.matches("[0-9a-f]{64}")) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD,
          "notice_hash",
          "notice_hash must be a SHA-256 in 64 lower-case hex digits");
    }
    check("guardian", guardian, 256);
    check("guardianLink", guardianLink, 36);
    check("consentManager", consentManager, 128);
    check("artefact", artefact, 128);
  }

  /** This provenance with the hash of the notice text shown. */
  public Provenance withNoticeHash(String hash) {
    return new Provenance(hash, guardian, guardianLink, consentManager, artefact);
  }

  /** This provenance with the verified guardian who acted and the link they acted under. */
  public Provenance withGuardian(String guardian, String link) {
    return new Provenance(noticeHash, guardian, link, consentManager, artefact);
  }

  /** This provenance with the Consent Manager and its artefact. */
  public Provenance withConsentManager(String consentManager, String artefact) {
    return new Provenance(noticeHash, guardian, guardianLink, consentManager, artefact);
  }

  private static void check(String name, String value, int max) {
    if (value != null && (value.isBlank() || value.length() > max)) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD, name + " must be 1 to " + max + " characters");
    }
  }
}
