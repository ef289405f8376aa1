package dev.privacykit.javalin;

import dev.privacykit.audit.AuditLogException;
import dev.privacykit.audit.ExportText;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
        AuditLogException.Overloaded.class, (e, ctx) -> write(ctx, overloaded()));
    state.routes.exception(AuditLogException.Closed.class, (e, ctx) -> write(ctx, overloaded()));
    state.routes.exception(
        AuditLogException.Unavailable.class, (e, ctx) -> write(ctx, overloaded()));
    // A failure that surfaced through a future (an append's join) is answered as its cause.
    state.routes.exception(
        java.util.concurrent.CompletionException.class,
        (e, ctx) -> {
          Throwable cause = e.getCause();
          if (cause instanceof ProblemException problem) {
            write(ctx, problem);
          } else if (cause instanceof AuditLogException.Overloaded
              || cause instanceof AuditLogException.Closed
              || cause instanceof AuditLogException.Unavailable) {
            write(ctx, overloaded());
          } else if (databaseAway(e)) {
            ctx.attribute(CAUSE, cause == null ? "-" : cause.getClass().getName());
            write(ctx, databaseUnavailable());
          } else {
            write(ctx, internal());
          }
        });
    state.routes.exception(
        HttpResponseException.class,
        (e, ctx) -> {
          String allowed = e.getDetails().get("availableMethods");
          if (e.getStatus() == 405 && allowed != null) {
            ctx.header("Allow", allowed.replace("[", "").replace("]", ""));
          }
          write(
              ctx,
              new ProblemException(
                  e.getStatus(),
                  "http-" + e.getStatus(),
                  "Request refused",
                  "the request was refused (HTTP " + e.getStatus() + ")"));
        });
    state.routes.exception(
        Exception.class,
        (e, ctx) -> {
          // The class names the failure for the operator; its message may hold personal data.
          ctx.attribute(CAUSE, e.getClass().getName());
          write(ctx, databaseAway(e) ? databaseUnavailable() : internal());
        });
  }

  private static final String CAUSE = "privacykit.cause";
  private static final Logger log = LoggerFactory.getLogger(Problems.class);
  private static final Pattern TRACEPARENT =
      Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

  /**
   * The matched route's template ({@code /v1/subjects/{subject}}), never the raw path, which may
   * name a person; {@code unmatched} when no route matched.
   */
  public static String routeTemplate(Context ctx) {
    try {
      var endpoint = ctx.endpoints().lastHttpEndpoint();
      return endpoint == null ? "unmatched" : endpoint.path;
    } catch (RuntimeException e) {
      return "unmatched";
    }
  }

  /**
   * The request's W3C {@code traceparent} when well formed (it is logged with failures so a trace
   * and a correlation id meet), else null.
   */
  public static String traceparent(Context ctx) {
    String value = ctx.header("traceparent");
    return value != null && TRACEPARENT.matcher(value).matches() ? value : null;
  }

  /** The audit trail cannot take the request's entry now: retry shortly (never a 500). */
  static ProblemException overloaded() {
    return ProblemException.retryLater(
        503,
        "audit-unavailable",
        "Audit log unavailable",
        "the audit log cannot take more entries right now; retry after the Retry-After header",
        1);
  }

  /**
   * Whether a failure is the database being away (no connection, the connection lost, the server
   * shutting down): a 503 to retry, not a 500.
   */
  static boolean databaseAway(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLTransientConnectionException
          || t instanceof java.sql.SQLNonTransientConnectionException
          || t instanceof java.net.ConnectException) {
        return true;
      }
      if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        // 08: connection exceptions; 57P01-57P03: the server shutting down or starting
        if (state.startsWith("08") || state.startsWith("57P0")) {
          return true;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** The database cannot be reached now: retry shortly. */
  static ProblemException databaseUnavailable() {
    return ProblemException.retryLater(
        503,
        "database-unavailable",
        "Database unavailable",
        "the database cannot be reached right now; retry after the Retry-After header",
        2);
  }

  private static ProblemException internal() {
    return new ProblemException(
        500,
        "internal",
        "Internal error",
        "the request failed; quote the correlation id to the operator");
  }

  /** Writes {@code problem} as the response: status, headers and problem+json body. */
  public static void write(Context ctx, ProblemException problem) {
    String id = correlationId(ctx);
    if (problem.status() >= 500) {
      // Once per failed request, with what a client quotes: the correlation id (and trace).
      log.warn(
          "request {} {} answered {} {} (correlation id {}, traceparent {}, cause {})",
          ctx.method(),
          routeTemplate(ctx),
          problem.status(),
          problem.type(),
          id,
          traceparent(ctx),
          ctx.attribute(CAUSE) == null ? "-" : ctx.attribute(CAUSE));
    }
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
