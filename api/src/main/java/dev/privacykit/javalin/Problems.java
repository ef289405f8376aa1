package dev.privacykit.javalin;

import dev.privacykit.audit.internal.Text;
import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;

/** Writes RFC 9457 {@code application/problem+json} bodies with a correlation id. */
public final class Problems {
  static final String CORRELATION_ATTRIBUTE = "privacykit.correlation";
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private Problems() {}

  /**
   * The request's correlation id: the client's {@code X-Request-Id} when well-formed, else a new
   * one.
   */
  public static String correlationId(Context ctx) {
    String existing = ctx.attribute(CORRELATION_ATTRIBUTE);
    if (existing != null) {
      return existing;
    }
    String header = ctx.header("X-Request-Id");
    String id =
        header != null && CLIENT_ID.matcher(header).matches()
            ? header
            : UUID.randomUUID().toString();
    ctx.attribute(CORRELATION_ATTRIBUTE, id);
    ctx.header("X-Request-Id", id);
    return id;
  }

  /** Writes {@code problem} as the response: status, headers and problem+json body. */
  public static void write(Context ctx, ProblemException problem) {
    String id = correlationId(ctx);
    if (problem.retryAfter() != null) {
      ctx.header("Retry-After", problem.retryAfter());
    }
    if (problem.wwwAuthenticate() != null) {
      ctx.header("WWW-Authenticate", problem.wwwAuthenticate());
    }
    ctx.header("Cache-Control", "no-store");
    ctx.status(problem.status())
        .contentType("application/problem+json")
        .result(
            "{\"type\":"
                + Text.json(problem.type())
                + ",\"title\":"
                + Text.json(problem.title())
                + ",\"status\":"
                + problem.status()
                + ",\"detail\":"
                + Text.json(problem.getMessage())
                + (problem.pointer() == null ? "" : ",\"pointer\":" + Text.json(problem.pointer()))
                + ",\"correlation_id\":"
                + Text.json(id)
                + "}");
  }
}
