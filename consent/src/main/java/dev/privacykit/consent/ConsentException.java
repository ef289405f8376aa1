package dev.privacykit.consent;

import java.util.Locale;
import java.util.Objects;

/**
 * The root of every unchecked failure of the consent ledger and data-subject requests. Messages
 * name purposes, notices and request ids, never people; {@link #kind()} says what failed, so a
 * caller (the HTTP server, say) maps it to a status in one place.
 */
public class ConsentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What failed; {@link #code()} is the stable slug used in problem types. */
  public enum Kind {
    /** A field of the change or request is malformed or out of range. */
    INVALID_FIELD(Category.INVALID),
    /** The evidence (IP address, channel, UI version) is malformed. */
    INVALID_EVIDENCE(Category.INVALID),
    /** A receipt does not verify or is malformed. */
    INVALID_RECEIPT(Category.INVALID),
    /** The purpose is not in the policy. */
    UNKNOWN_PURPOSE(Category.INVALID),
    /** The purpose does not rely on consent, so consent cannot be recorded for it. */
    NOT_CONSENT_BASED(Category.INVALID),
    /** The notice version is not one the policy knows. */
    UNKNOWN_NOTICE_VERSION(Category.INVALID),
    /** The notice is not published in that language. */
    UNKNOWN_LANGUAGE(Category.INVALID),
    /** A DPDP consent without the language its notice was shown in (s.5(3), s.6(3)). */
    LANGUAGE_REQUIRED(Category.INVALID),
    /** The notice hash sent is not the SHA-256 of the policy's text of that notice version. */
    NOTICE_HASH_MISMATCH(Category.INVALID),
    /** No such record (a data-subject request id, say). */
    NOT_FOUND(Category.NOT_FOUND),
    /** A renewal without an earlier consent to renew. */
    NOTHING_TO_RENEW(Category.INVALID),
    /** A deadline extension the regime does not allow. */
    EXTENSION_NOT_ALLOWED(Category.CONFLICT),
    /** A step the record's current state does not allow. */
    INVALID_TRANSITION(Category.CONFLICT),
    /** The change conflicts with what is already recorded. */
    CONFLICT(Category.CONFLICT),
    /** A per-tenant limit is reached (webhook recipients, say); nothing was recorded. */
    LIMIT_REACHED(Category.CONFLICT),
    /**
     * The caller may not act for this data principal now: not an active nominee of hers, or no
     * death or incapacity in force. One kind for every such case, so nothing is revealed.
     */
    NOMINATION_NOT_IN_FORCE(Category.FORBIDDEN),
    /**
     * The caller acted as a guardian but is no verified parent or lawful guardian of this data
     * principal now. One kind for every such case, so nothing is revealed.
     */
    GUARDIAN_NOT_VERIFIED(Category.FORBIDDEN),
    /**
     * The data principal is a child or a person with a lawful guardian: consent counts only from a
     * verified parent or lawful guardian (DPDP s.9(1); GDPR Art. 8(1)).
     */
    GUARDIAN_CONSENT_REQUIRED(Category.FORBIDDEN),
    /**
     * The data principal is a child and the purpose tracks, monitors behaviour, targets advertising
     * or harms her well-being without an exemption (DPDP s.9(2)-(3)): no consent makes it lawful.
     */
    CHILD_PROTECTED(Category.FORBIDDEN),
    /** The input is larger than the limit for it (an import's size or line count, say). */
    TOO_LARGE(Category.TOO_LARGE),
    /**
     * A Consent Manager's artefact does not verify: its signature, key, algorithm, audience, times
     * or claims; nothing was recorded.
     */
    INVALID_ARTEFACT(Category.INVALID),
    /** A Consent Manager's artefact whose {@code jti} was already used; nothing was recorded. */
    ARTEFACT_REPLAYED(Category.CONFLICT),
    /** The Consent Manager is suspended: its artefacts are not accepted. */
    CONSENT_MANAGER_SUSPENDED(Category.FORBIDDEN);

    private final Category category;

    Kind(Category category) {
      this.category = category;
    }

    /** The broad class of the failure. */
    public Category category() {
      return category;
    }

    /** The stable slug, such as {@code unknown-purpose}. */
    public String code() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * The broad classes of failure: bad input, a missing record, a clash with the state, input over a
   * limit, or a caller who may not act.
   */
  public enum Category {
    /** The caller's input is wrong; nothing was recorded. */
    INVALID,
    /** The record named does not exist (for this tenant). */
    NOT_FOUND,
    /** The input is well formed but clashes with what is recorded; nothing was recorded. */
    CONFLICT,
    /** The input is over a size limit; nothing was recorded. */
    TOO_LARGE,
    /** The caller may not act on this record; nothing was recorded. */
    FORBIDDEN
  }

  private final Kind kind;
  private final String field;

  /** A failure of the given kind, with a message that names no person. */
  public ConsentException(Kind kind, String message) {
    this(kind, null, message);
  }

  /**
   * A failure of the given kind caused by one input field, named as a path such as {@code
   * idempotency_key} or {@code evidence/collected_at} (the HTTP server makes it a JSON Pointer).
   */
  public ConsentException(Kind kind, String field, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.field = field;
  }

  /** The input field that caused the failure, or null. */
  public String field() {
    return field;
  }

  /** What failed. */
  public Kind kind() {
    return kind;
  }

  /** The stable code of {@link #kind()}, such as {@code unknown-purpose}. */
  public String code() {
    return kind.code();
  }
}
