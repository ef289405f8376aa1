package dev.privacykit.javalin;

import dev.privacykit.audit.ExportText;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
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

  /**
   * Installs the exception handlers that turn every failure into a problem: {@link
   * ProblemException}s as they are, Javalin's HTTP errors by status, and anything else as a 500
   * whose body says only to quote the correlation id.
   */
  static void install(JavalinState state) {
    state.routes.exception(ProblemException.class, (e, ctx) -> write(ctx, e));
    state.routes.exception(
        HttpResponseException.class,
        (e, ctx) ->
            write(
                ctx,
                new ProblemException(
                    e.getStatus(),
                    "http-" + e.getStatus(),
                    "Request refused",
                    "the request was refused (HTTP " + e.getStatus() + ")")));
    state.routes.exception(
        Exception.class,
        (e, ctx) ->
            write(
                ctx,
                new ProblemException(
                    500,
                    "internal",
                    "Internal error",
                    "the request failed; quote the correlation id to the operator")));
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
                + ExportText.json(problem.type())
                + ",\"title\":"
                + ExportText.json(problem.title())
                + ",\"status\":"
                + problem.status()
                + ",\"detail\":"
                + ExportText.json(problem.getMessage())
                + (problem.pointer() == null
                    ? ""
                    : ",\"pointer\":" + ExportText.json(problem.pointer()))
                + ",\"correlation_id\":"
                + ExportText.json(id)
                + "}");
  }
}
