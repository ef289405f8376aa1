package dev.privacykit.consent;

import java.util.Objects;

/**
 * A request to change one subject's consent for one purpose.
 *
 * @param tenant the tenant
 * @param subject the subject's pseudonymous reference
 * @param purpose the purpose id
 * @param noticeVersion the version of the purpose's notice the subject was shown (give and renew)
 * @param language the language it was shown in (BCP 47), or null
 * @param method how it was collected
 * @param evidence how it can be proven
 * @param actingParty who acted
 * @param idempotencyKey a key that makes a retried request record nothing new, or null
 * @param provenance what else proves the change: the notice text's hash, the verified guardian, the
 *     Consent Manager ({@link Provenance#NONE} when nothing)
 */
public record ConsentChange(
    String tenant,
    String subject,
    String purpose,
    int noticeVersion,
    String language,
    ConsentMethod method,
    Evidence evidence,
    ActingParty actingParty,
    String idempotencyKey,
    Provenance provenance) {

  /** Checks the values. */
  public ConsentChange {
    text("tenant", tenant, 256);
    text("subject", subject, 256);
    text("purpose", purpose, 128);
    if (language != null) {
      text("language", language, 35);
    }
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(evidence, "evidence");
    actingParty = actingParty == null ? ActingParty.SELF : actingParty;
    if (idempotencyKey != null) {
      text("idempotencyKey", idempotencyKey, 128);
    }
    provenance = provenance == null ? Provenance.NONE : provenance;
  }

  /** A change without provenance beyond its evidence. */
  public ConsentChange(
      String tenant,
      String subject,
      String purpose,
      int noticeVersion,
      String language,
      ConsentMethod method,
      Evidence evidence,
      ActingParty actingParty,
      String idempotencyKey) {
    this(
        tenant,
        subject,
        purpose,
        noticeVersion,
        language,
        method,
        evidence,
        actingParty,
        idempotencyKey,
        Provenance.NONE);
  }

  /** A change by the subject through a form, now, without further evidence. */
  public static ConsentChange of(
      String tenant, String subject, String purpose, int noticeVersion, String language) {
    return new ConsentChange(
        tenant,
        subject,
        purpose,
        noticeVersion,
        language,
        ConsentMethod.FORM,
        Evidence.at(java.time.Instant.now()),
        ActingParty.SELF,
        null);
  }

  /** This change with other evidence. */
  public ConsentChange withEvidence(ConsentMethod method, Evidence evidence) {
    return new ConsentChange(
        tenant,
        subject,
        purpose,
        noticeVersion,
        language,
        method,
        evidence,
        actingParty,
        idempotencyKey,
        provenance);
  }

  /** This change with an idempotency key. */
  public ConsentChange withIdempotencyKey(String key) {
    return new ConsentChange(
        tenant,
        subject,
        purpose,
        noticeVersion,
        language,
        method,
        evidence,
        actingParty,
        key,
        provenance);
  }

  /** This change with other provenance. */
  public ConsentChange withProvenance(Provenance provenance) {
    return new ConsentChange(
        tenant,
        subject,
        purpose,
        noticeVersion,
        language,
        method,
        evidence,
        actingParty,
        idempotencyKey,
        provenance);
  }

  /** This change made by another party (a verified guardian, say). */
  public ConsentChange withActingParty(ActingParty party) {
    return new ConsentChange(
        tenant,
        subject,
        purpose,
        noticeVersion,
        language,
        method,
        evidence,
        party,
        idempotencyKey,
        provenance);
  }

  private static void text(String name, String value, int max) {
    if (value == null || value.isBlank() || value.length() > max) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD, name + " must be 1 to " + max + " characters");
    }
  }
}
