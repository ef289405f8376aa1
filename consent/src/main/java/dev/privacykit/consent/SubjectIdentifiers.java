package dev.privacykit.consent;

import dev.privacykit.crypto.BlindIndex;
import dev.privacykit.crypto.FieldContext;
import dev.privacykit.crypto.Keyring;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.crypto.Transform;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Identifiers that are personal data (an e-mail address, a phone number), linked to a subject's
 * pseudonymous reference so a request that arrives with only an e-mail address finds its subject.
 * Each is stored encrypted under the subject's key (so erasure makes it unreadable) beside a blind
 * index term (so it can be found); never in clear. Thread-safe.
 */
public final class SubjectIdentifiers {
  /** What an identifier is. */
  public enum Kind {
    EMAIL(Transform.NORMALIZE),
    PHONE(Transform.DIGITS_ONLY);

    private final Transform normalise;

    Kind(Transform normalise) {
      this.normalise = normalise;
    }
  }

  private final Jdbi jdbi;
  private final SubjectKeys subjectKeys;
  private final Map<Kind, BlindIndex> indexes;

  private SubjectIdentifiers(
      Database database, Keyring keyring, SubjectKeys subjectKeys, long expectedSubjects) {
    this.jdbi = Jdbis.of(database);
    this.subjectKeys = subjectKeys;
    int bits = dev.privacykit.crypto.BlindIndexPlanner.maxBits(expectedSubjects, 0);
    java.util.EnumMap<Kind, BlindIndex> map = new java.util.EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      map.put(
          kind,
          BlindIndex.builder(
                  keyring, "consent_identifiers", kind.name().toLowerCase(java.util.Locale.ROOT))
              .field(kind.normalise)
              .bits(bits)
              .expectedRows(expectedSubjects)
              .build());
    }
    this.indexes = map;
  }

  /**
   * Opens the identifiers; index terms are sized for {@code expectedSubjects} (at least 16) by the
   * blind-index planner.
   */
  public static SubjectIdentifiers open(
      Database database, Keyring keyring, SubjectKeys subjectKeys, long expectedSubjects) {
    if (expectedSubjects < 16) {
      throw new IllegalArgumentException("expectedSubjects must be at least 16");
    }
    return new SubjectIdentifiers(database, keyring, subjectKeys, expectedSubjects);
  }

  /** Links (or replaces) the subject's identifier of this kind. */
  public void link(String tenant, String subject, Kind kind, String value)
      throws GeneralSecurityException {
    String normalised = kind.normalise.apply(value);
    if (normalised.isEmpty() || normalised.length() > 320) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD,
          kind.name().toLowerCase(java.util.Locale.ROOT) + " must be 1 to 320 characters");
    }
    String term = indexes.get(kind).termText(tenant, normalised);
    String ciphertext =
        subjectKeys
            .cipher(tenant, subject)
            .encryptToString(normalised, context(tenant, subject, kind));
    jdbi.useTransaction(
        h -> {
          h.createUpdate(
                  "DELETE FROM consent_identifiers WHERE tenant = :t AND subject = :s AND kind = :k")
              .bind("t", tenant)
              .bind("s", subject)
              .bind("k", kind.name())
              .execute();
          h.createUpdate(
                  "INSERT INTO consent_identifiers (tenant, subject, kind, term, ciphertext) VALUES (:t, :s, :k, :term, :c)")
              .bind("t", tenant)
              .bind("s", subject)
              .bind("k", kind.name())
              .bind("term", term)
              .bind("c", ciphertext)
              .execute();
        });
  }

  /**
   * The subject whose identifier of this kind is {@code value}: candidates come from the blind
   * index (which by design matches several), and each is decrypted and compared.
   */
  public Optional<String> find(String tenant, Kind kind, String value)
      throws GeneralSecurityException {
    String normalised = kind.normalise.apply(value);
    List<String> terms = new ArrayList<>();
    for (byte[] term : indexes.get(kind).searchTerms(tenant, normalised)) {
      terms.add(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(term));
    }
    List<Map<String, Object>> candidates =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT subject, ciphertext FROM consent_identifiers WHERE tenant = :t AND kind = :k AND term IN (<terms>)")
                    .bind("t", tenant)
                    .bind("k", kind.name())
                    .bindList("terms", terms)
                    .mapToMap()
                    .list());
    for (Map<String, Object> candidate : candidates) {
      String subject = (String) candidate.get("subject");
      if (!subjectKeys.hasKey(tenant, subject)) {
        continue;
      }
      try {
        String plain =
            subjectKeys
                .cipher(tenant, subject)
                .decryptString(
                    (String) candidate.get("ciphertext"), context(tenant, subject, kind));
        if (plain.equals(normalised)) {
          return Optional.of(subject);
        }
      } catch (GeneralSecurityException e) {
        // shredded or altered: not a match
      }
    }
    return Optional.empty();
  }

  /**
   * The subject's identifiers, decrypted, by kind; an identifier that no longer decrypts (the
   * subject's key was shredded) is left out.
   */
  public Map<Kind, String> of(String tenant, String subject) {
    List<Map<String, Object>> rows =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT kind, ciphertext FROM consent_identifiers WHERE tenant = :t AND subject = :s")
                    .bind("t", tenant)
                    .bind("s", subject)
                    .mapToMap()
                    .list());
    Map<Kind, String> out = new java.util.EnumMap<>(Kind.class);
    if (rows.isEmpty() || !subjectKeys.hasKey(tenant, subject)) {
      return out;
    }
    for (Map<String, Object> row : rows) {
      Kind kind = Kind.valueOf((String) row.get("kind"));
      try {
        out.put(
            kind,
            subjectKeys
                .cipher(tenant, subject)
                .decryptString((String) row.get("ciphertext"), context(tenant, subject, kind)));
      } catch (GeneralSecurityException e) {
        // shredded or altered: nothing readable to hand back
      }
    }
    return out;
  }

  /** Removes every identifier of a subject (erasure); returns how many were removed. */
  public int remove(String tenant, String subject) {
    return jdbi.withHandle(
        h ->
            h.createUpdate("DELETE FROM consent_identifiers WHERE tenant = :t AND subject = :s")
                .bind("t", tenant)
                .bind("s", subject)
                .execute());
  }

  private static FieldContext context(String tenant, String subject, Kind kind) {
    return FieldContext.of(
        tenant, "consent_identifiers", kind.name().toLowerCase(java.util.Locale.ROOT), subject);
  }
}
