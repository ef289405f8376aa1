package dev.privacykit.javalin;

import io.javalin.security.RouteRole;
import java.util.List;
import java.util.Objects;

/**
 * What a route needs, declared where the route is: a permission, and optionally the purpose it
 * serves, the data categories it touches, and where the data subject comes from. Immutable: each
 * method returns a new requirement.
 *
 * <pre>{@code
 * config.routes.get("/customers/{id}/email", Customers::email,
 *     requires("customers:read").purpose("email_marketing").categories("user.contact.email").subjectFromPath("id"));
 * }</pre>
 */
public record Requirement(
    String permission,
    String purpose,
    List<String> categories,
    SubjectSource subjectSource,
    String subjectName,
    boolean readOnly)
    implements RouteRole {

  /** Where a guarded route finds its data subject. */
  public enum SubjectSource {
    /** No subject: the route serves no purpose that needs consent. */
    NONE,
    /** A path parameter. */
    PATH,
    /** A request header. */
    HEADER,
    /** The token's {@code sub}: a data principal acting for themself. */
    TOKEN_SUBJECT
  }

  /** Checks and copies. */
  public Requirement {
    Objects.requireNonNull(permission, "permission");
    categories = List.copyOf(categories);
    Objects.requireNonNull(subjectSource, "subjectSource");
  }

  static Requirement of(String permission) {
    if (permission.isBlank()) {
      throw new IllegalArgumentException("permission must not be blank");
    }
    return new Requirement(permission, null, List.of(), SubjectSource.NONE, null, false);
  }

  /** The purpose the route processes personal data for; consent and policy are checked for it. */
  public Requirement purpose(String purpose) {
    return new Requirement(
        permission,
        Objects.requireNonNull(purpose),
        categories,
        subjectSource == SubjectSource.NONE ? SubjectSource.TOKEN_SUBJECT : subjectSource,
        subjectName,
        readOnly);
  }

  /** The data categories the route touches (they must fall under the purpose). */
  public Requirement categories(String... categories) {
    return new Requirement(
        permission, purpose, List.of(categories), subjectSource, subjectName, readOnly);
  }

  /** The data subject is the path parameter {@code name}. */
  public Requirement subjectFromPath(String name) {
    return new Requirement(
        permission,
        purpose,
        categories,
        SubjectSource.PATH,
        Objects.requireNonNull(name),
        readOnly);
  }

  /** The data subject is named by the request header {@code name}. */
  public Requirement subjectFromHeader(String name) {
    return new Requirement(
        permission,
        purpose,
        categories,
        SubjectSource.HEADER,
        Objects.requireNonNull(name),
        readOnly);
  }

  /** The data subject is the token's subject. */
  public Requirement subjectFromToken() {
    return new Requirement(
        permission, purpose, categories, SubjectSource.TOKEN_SUBJECT, null, readOnly);
  }

  /**
   * The route only reads personal data although its method is not GET (a query that takes a body,
   * such as a batch consent check): its audit entry records a READ, not a WRITE.
   */
  public Requirement readsOnly() {
    return new Requirement(permission, purpose, categories, subjectSource, subjectName, true);
  }
}
