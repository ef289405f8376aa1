package dev.privacykit.consent;

/**
 * The host backend's part of an access or portability package: the data it holds about a subject
 * (orders, profile, messages ...), given as named sections of rows. Registered with {@link
 * DsrConfig#contributor} or found by {@link DsrConfig#discoverContributors()} through {@link
 * java.util.ServiceLoader} (a {@code
 * META-INF/services/dev.privacykit.consent.SubjectDataContributor} file naming the class, which
 * then needs a public no-argument constructor).
 *
 * <p>For {@link RequestType#PORTABILITY} return only what the subject provided (GDPR Art. 20(1)):
 * what they typed in, uploaded or chose, not what you inferred about them.
 *
 * <p>A contributor that throws, or returns nothing, does not fail the package and is never silently
 * left out: the package is marked incomplete and names the contributor as missing, with {@link
 * Unavailable#reason()} when it throws that, else {@code failed}. The exception's message is never
 * copied into the package (it may hold personal data). Implementations must be thread-safe: several
 * packages may be written at once.
 */
public interface SubjectDataContributor {

  /** The contributor's name in the package: 1 to 64 of {@code a-z 0-9 _ -}, unique. */
  String name();

  /**
   * Whether this contributor holds data of {@code tenant}'s subjects at all; one that does not is
   * not asked and not listed in that tenant's packages. True by default.
   */
  default boolean appliesTo(String tenant) {
    return true;
  }

  /**
   * The subject's data this contributor holds, for a package of {@code type} (ACCESS or
   * PORTABILITY).
   *
   * @throws Unavailable when the data cannot be had now, with a reason the package may show
   */
  Contribution contribute(String tenant, String subject, RequestType type);

  /**
   * Thrown by a contributor whose data cannot be had now; its {@link #reason()} goes into the
   * package.
   */
  final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    /**
     * @param reason a short code the package shows, such as {@code timeout} or {@code status_503}:
     *     1 to 40 of {@code a-z 0-9 _}; anything else becomes {@code failed}
     */
    public Unavailable(String reason) {
      super("contribution unavailable: " + safe(reason));
      this.reason = safe(reason);
    }

    /** The reason the package shows. */
    public String reason() {
      return reason;
    }

    static String safe(String reason) {
      return reason != null && reason.matches("[a-z0-9_]{1,40}") ? reason : "failed";
    }
  }
}
