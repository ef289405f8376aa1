package dev.privacykit.javalin;

/**
 * A failure to answer as an RFC 9457 problem: a status, a stable type, a title and a detail that
 * are safe to show (no claim values, no exception text, no personal data).
 */
public final class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The base of every problem type URI. */
  public static final String TYPE_BASE = "https://privacykit.dev/problems/";

  private final int status;
  private final String type;
  private final String title;
  private final transient String wwwAuthenticate;
  private final transient String retryAfter;
  private final String pointer;

  /** A problem with status, type (appended to {@link #TYPE_BASE}), title and safe detail. */
  public ProblemException(int status, String type, String title, String detail) {
    this(status, type, title, detail, null);
  }

  ProblemException(int status, String type, String title, String detail, String wwwAuthenticate) {
    this(status, type, title, detail, wwwAuthenticate, null);
  }

  ProblemException(
      int status,
      String type,
      String title,
      String detail,
      String wwwAuthenticate,
      String retryAfter) {
    this(status, type, title, detail, wwwAuthenticate, retryAfter, null);
  }

  private ProblemException(
      int status,
      String type,
      String title,
      String detail,
      String wwwAuthenticate,
      String retryAfter,
      String pointer) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.wwwAuthenticate = wwwAuthenticate;
    this.retryAfter = retryAfter;
    this.pointer = pointer;
  }

  /** This problem, naming where the offending input is (see {@link #invalid}). */
  public ProblemException withPointer(String pointer) {
    return new ProblemException(
        status, type, title, getMessage(), wwwAuthenticate, retryAfter, pointer);
  }

  /** A problem the client should retry later (429 or 503), with {@code Retry-After} in seconds. */
  public static ProblemException retryLater(
      int status, String type, String title, String detail, long retryAfterSeconds) {
    return new ProblemException(
        status, type, title, detail, null, Long.toString(Math.max(1, retryAfterSeconds)));
  }

  /**
   * A 400 for bad input, naming where it is: a JSON Pointer into the body ({@code
   * /items/2/plaintext}), or {@code ?name} for a query parameter, or {@code {name}} for a path
   * parameter. The detail must say what is wrong without echoing the value.
   */
  public static ProblemException invalid(String pointer, String detail) {
    return new ProblemException(
        400, "invalid-request", "Invalid request", detail, null, null, pointer);
  }

  /** Where the bad input is, or null. */
  public String pointer() {
    return pointer;
  }

  String retryAfter() {
    return retryAfter;
  }

  public int status() {
    return status;
  }

  public String type() {
    return TYPE_BASE + type;
  }

  public String title() {
    return title;
  }

  String wwwAuthenticate() {
    return wwwAuthenticate;
  }
}
