package dev.privacykit.audit;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One event to record. People appear only by pseudonymous references (never an e-mail address or a
 * raw user id); personal details go in {@link #body()}, which is encrypted under the subject's key
 * before it is stored.
 *
 * @param tenant the tenant
 * @param actor who acted: a pseudonymous reference of a user, or a service name
 * @param actorRole the actor's role, or null
 * @param subject the data subject's pseudonymous reference, or null when there is none
 * @param action what happened
 * @param purpose the purpose id, or null
 * @param legalBasis the lawful basis code (such as {@code gdpr:contract}), or null
 * @param categories the data categories concerned
 * @param recipient to whom data was disclosed, or null
 * @param requestId the request's correlation id, or null
 * @param outcome how it ended
 * @param submittedBy who submitted the entry through the HTTP API ({@code issuer|subject} of the
 *     token), set by the service and never by the caller; null for entries PrivacyKit wrote
 * @param body personal details (free text or JSON), or null; needs a subject
 */
public record AuditEntry(
    String tenant,
    String actor,
    String actorRole,
    String subject,
    Action action,
    String purpose,
    String legalBasis,
    List<String> categories,
    String recipient,
    String requestId,
    Outcome outcome,
    String submittedBy,
    String body) {
  private static final Pattern CATEGORY = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  /** Checks the values. */
  public AuditEntry {
    check("tenant", tenant, 256, true);
    check("actor", actor, 256, true);
    check("actorRole", actorRole, 128, false);
    check("subject", subject, 256, false);
    Objects.requireNonNull(action, "action");
    check("purpose", purpose, 128, false);
    check("legalBasis", legalBasis, 64, false);
    categories = categories == null ? List.of() : List.copyOf(categories);
    for (String category : categories) {
      if (!CATEGORY.matcher(category).matches()) {
        throw new IllegalArgumentException(
            "categories must be 1 to 128 letters, digits or '_', '.', ':', '-'");
      }
    }
    check("recipient", recipient, 256, false);
    check("requestId", requestId, 128, false);
    Objects.requireNonNull(outcome, "outcome");
    check("submittedBy", submittedBy, 600, false);
    if (body != null && subject == null) {
      throw new IllegalArgumentException("an entry without a subject cannot carry a body");
    }
    if (body != null && body.length() > 65_536) {
      throw new IllegalArgumentException("body must be at most 65536 characters");
    }
  }

  /**
   * The entry's stored text fields, in column order: tenant, actor, actor role, subject, action,
   * purpose, legal basis, categories (comma-joined, or null), recipient, request id, outcome,
   * submitted by. The one list that the leaf encoding and the exports both read.
   */
  String[] storedFields() {
    return new String[] {
      tenant,
      actor,
      actorRole,
      subject,
      action.name(),
      purpose,
      legalBasis,
      categories.isEmpty() ? null : String.join(",", categories),
      recipient,
      requestId,
      outcome.name(),
      submittedBy
    };
  }

  /** Starts an entry: who did what, in which tenant; the outcome is SUCCESS unless set. */
  public static Builder builder(String tenant, String actor, Action action) {
    return new Builder(tenant, actor, action);
  }

  private static void check(String name, String value, int max, boolean required) {
    if (value == null) {
      if (required) {
        throw new IllegalArgumentException(name + " is required");
      }
      return;
    }
    if (value.isBlank() || value.length() > max) {
      throw new IllegalArgumentException(name + " must be 1 to " + max + " characters");
    }
  }

  /** A mutable builder; {@link #build()} checks. */
  public static final class Builder {
    private final String tenant;
    private final String actor;
    private final Action action;
    private String actorRole;
    private String subject;
    private String purpose;
    private String legalBasis;
    private List<String> categories = List.of();
    private String recipient;
    private String requestId;
    private Outcome outcome = Outcome.SUCCESS;
    private String submittedBy;
    private String body;

    private Builder(String tenant, String actor, Action action) {
      this.tenant = tenant;
      this.actor = actor;
      this.action = action;
    }

    public Builder actorRole(String role) {
      this.actorRole = role;
      return this;
    }

    public Builder subject(String subject) {
      this.subject = subject;
      return this;
    }

    public Builder purpose(String purpose) {
      this.purpose = purpose;
      return this;
    }

    public Builder legalBasis(String legalBasis) {
      this.legalBasis = legalBasis;
      return this;
    }

    public Builder categories(List<String> categories) {
      this.categories = categories;
      return this;
    }

    public Builder recipient(String recipient) {
      this.recipient = recipient;
      return this;
    }

    public Builder requestId(String requestId) {
      this.requestId = requestId;
      return this;
    }

    public Builder outcome(Outcome outcome) {
      this.outcome = outcome;
      return this;
    }

    /** Who submitted the entry over HTTP ({@code issuer|subject}); the service sets it. */
    public Builder submittedBy(String submittedBy) {
      this.submittedBy = submittedBy;
      return this;
    }

    public Builder body(String body) {
      this.body = body;
      return this;
    }

    /** Builds the entry. */
    public AuditEntry build() {
      return new AuditEntry(
          tenant,
          actor,
          actorRole,
          subject,
          action,
          purpose,
          legalBasis,
          categories,
          recipient,
          requestId,
          outcome,
          submittedBy,
          body);
    }
  }
}
