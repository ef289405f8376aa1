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

  Authentication(TokenVerifier verifier, boolean tenantRequired, AuditRecorder recorder) {
    this.verifier = verifier;
    this.tenantRequired = tenantRequired;
    this.recorder = recorder;
  }

  /** The verified principal of the request, or a 401 problem. */
  Principal authenticate(Context ctx) {
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
    if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      recorder.authenticationFailed(ctx);
      throw invalidToken("the Authorization header must be 'Bearer <token>'");
    }
    Principal principal;
    try {
      principal = verifier.verify(header.substring(7).trim());
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
}
