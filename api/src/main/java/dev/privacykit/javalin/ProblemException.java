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
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.wwwAuthenticate = wwwAuthenticate;
    this.retryAfter = retryAfter;
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
