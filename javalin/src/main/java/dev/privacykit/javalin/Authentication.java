package dev.privacykit.javalin;

import io.javalin.http.Context;

/**
 * Reads the bearer token of a request and verifies it: a missing token is 401 {@code unauthorized};
 * a malformed header, a token the verifier rejects, or (unless the app allows it) a token without a
 * tenant is 401 {@code invalid_token}. Each failure is audited. Thread-safe.
 */
final class Authentication {

  private final TokenVerifier verifier;
  private final boolean tenantRequired;
  private final AuditRecorder recorder;
  private final Hygiene hygiene;

  Authentication(
      TokenVerifier verifier, boolean tenantRequired, AuditRecorder recorder, Hygiene hygiene) {
    this.verifier = verifier;
    this.tenantRequired = tenantRequired;
    this.recorder = recorder;
    this.hygiene = hygiene;
  }

  /** The verified principal, or a 401 (429 once this address has failed too often). */
  Principal authenticate(Context ctx) {
    try {
      return verify(ctx);
    } catch (ProblemException e) {
      if (e.status() == 401) {
        hygiene.limitIp(ctx);
      }
      throw e;
    }
  }

  private Principal verify(Context ctx) {
    var headers = ctx.req().getHeaders("Authorization");
    if (headers != null && headers.hasMoreElements()) {
      headers.nextElement();
      if (headers.hasMoreElements()) {
        // Two credentials: which one a proxy, the server and this check would each read differs.
        recorder.authenticationFailed(ctx);
        throw new ProblemException(
            400,
            "duplicate-credentials",
            "Duplicate credentials",
            "send exactly one Authorization header");
      }
    }
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      recorder.authenticationFailed(ctx);
      throw new ProblemException(
          401,
          "unauthorized",
          "Unauthorized",
          "a bearer token is required",
          "Bearer realm=\"privacykit\"");
    }
    if (!isBearer(header)) {
      recorder.authenticationFailed(ctx);
      throw invalidToken("the Authorization header must be 'Bearer <token>'");
    }
    Principal principal;
    try {
      principal = verifier.verify(header.substring(7).stripLeading());
    } catch (TokenRejectedException e) {
      recorder.authenticationFailed(ctx);
      throw invalidToken(e.getMessage());
    }
    if (tenantRequired && principal.tenant() == null) {
      recorder.authenticationFailed(ctx);
      throw invalidToken("token has no tenant");
    }
    return principal;
  }

  private static ProblemException invalidToken(String reason) {
    return new ProblemException(
        401,
        "invalid-token",
        "Invalid token",
        reason,
        "Bearer error=\"invalid_token\", error_description=\"" + reason.replace("\"", "'") + "\"");
  }

  /**
   * RFC 6750 §2.1: {@code Bearer}, one or more spaces (no tab, no line break), a b64token, nothing
   * after it. A loop, not a regular expression: it runs on every request over a long token.
   */
  static boolean isBearer(String header) {
    int n = header.length();
    if (n < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    int i = 7;
    while (i < n && header.charAt(i) == ' ') {
      i++;
    }
    int start = i;
    while (i < n && isTokenChar(header.charAt(i))) {
      i++;
    }
    if (i == start) {
      return false;
    }
    while (i < n && header.charAt(i) == '=') {
      i++;
    }
    return i == n;
  }

  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~'
        || c == '+'
        || c == '/';
  }
}
