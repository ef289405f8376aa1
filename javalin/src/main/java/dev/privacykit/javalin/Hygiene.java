package dev.privacykit.javalin;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Set;

/**
 * HTTP hygiene the plugin applies to every request: a correlation id, security headers (nosniff,
 * CSP {@code default-src 'none'}, no-referrer, HSTS over TLS), CORS by exact origin allowlist,
 * per-IP and per-principal rate limits (429 with Retry-After; the client IP taken from
 * X-Forwarded-For only when the peer is a trusted proxy), and JSON-only request bodies (415).
 * Thread-safe.
 */
final class Hygiene {
  private final Set<String> corsOrigins;
  private final Set<String> trustedProxies;
  private final int perIpPerMinute;
  private final int perPrincipalPerMinute;
  private final java.util.Map<String, Integer> perScopePerMinute;
  private final RateWindows windows = new RateWindows(100_000);
  private final java.util.concurrent.atomic.LongAdder refusals =
      new java.util.concurrent.atomic.LongAdder();

  Hygiene(
      Set<String> corsOrigins,
      Set<String> trustedProxies,
      int perIpPerMinute,
      int perPrincipalPerMinute,
      java.util.Map<String, Integer> perScopePerMinute) {
    this.corsOrigins = Set.copyOf(corsOrigins);
    this.trustedProxies = Set.copyOf(trustedProxies);
    this.perIpPerMinute = perIpPerMinute;
    this.perPrincipalPerMinute = perPrincipalPerMinute;
    this.perScopePerMinute = java.util.Map.copyOf(perScopePerMinute);
  }

  /**
   * Runs before every request, matched or not: correlation id, CORS preflight, security headers,
   * per-IP limit.
   */
  void before(Context ctx) {
    Problems.correlationId(ctx);
    if (cors(ctx)) {
      ctx.skipRemainingHandlers();
      return;
    }
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    ctx.header("Referrer-Policy", "no-referrer");
    if ("https".equalsIgnoreCase(ctx.scheme())) {
      ctx.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    QueryStrings.requireDecodable(ctx.queryString());
    // Requests without credentials are limited per address here; requests with a token are
    // limited per caller once authenticated, and per address only if authentication fails.
    if (ctx.header("Authorization") == null) {
      limitIp(ctx);
    }
  }

  /** CORS: answers preflights for allowed origins; returns true when the request was answered. */
  boolean cors(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null || !corsOrigins.contains(origin)) {
      return false;
    }
    ctx.header("Access-Control-Allow-Origin", origin);
    ctx.header("Vary", "Origin");
    if (ctx.method() == HandlerType.OPTIONS
        && ctx.header("Access-Control-Request-Method") != null) {
      ctx.header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE");
      ctx.header(
          "Access-Control-Allow-Headers",
          "Authorization, Content-Type, X-Request-Id, Sec-GPC, traceparent");
      ctx.header("Access-Control-Max-Age", "600");
      ctx.status(204);
      return true;
    }
    return false;
  }

  /**
   * The client's address: the peer, or the nearest untrusted X-Forwarded-For hop behind trusted
   * proxies.
   */
  String clientIp(Context ctx) {
    String peer = ctx.req().getRemoteAddr();
    if (!trustedProxies.contains(peer)) {
      return peer;
    }
    String forwarded = ctx.header("X-Forwarded-For");
    if (forwarded == null || forwarded.isBlank()) {
      return peer;
    }
    List<String> hops = List.of(forwarded.split(","));
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i).strip();
      if (!trustedProxies.contains(hop)) {
        return hop.length() > 45 ? peer : hop;
      }
    }
    return peer;
  }

  /** Counts a request that carries no valid token (public routes, failed authentication). */
  void limitIp(Context ctx) {
    check(windows.take("ip:" + clientIp(ctx), perIpPerMinute));
  }

  /**
   * Counts a request of an authenticated caller, per tenant, issuer and subject. The limit is the
   * largest configured for any of its scopes, else the per-principal default, so a backend's
   * service token can be given room that a person's token does not get.
   */
  void limitPrincipal(Principal principal) {
    int limit = perPrincipalPerMinute;
    for (String scope : principal.scopes()) {
      Integer scoped = perScopePerMinute.get(scope);
      if (scoped != null && (scoped <= 0 || scoped > limit)) {
        limit = scoped <= 0 ? 0 : scoped;
        if (limit == 0) {
          break;
        }
      }
    }
    if (limit <= 0) {
      return;
    }
    String key =
        "principal:"
            + principal.tenant()
            + "\u0000"
            + principal.issuer()
            + "\u0000"
            + principal.subject();
    check(windows.take(key, limit));
  }

  /** Requests refused with 429 by the rate limits since start. */
  long refusals() {
    return refusals.sum();
  }

  private void check(long retryAfterSeconds) {
    if (retryAfterSeconds > 0) {
      refusals.increment();
      throw new ProblemException(
          429,
          "rate-limited",
          "Too many requests",
          "slow down and retry after the Retry-After header",
          null,
          Long.toString(retryAfterSeconds));
    }
  }

  /** Requests with a body must say it is JSON. */
  static void requireJson(Context ctx) {
    HandlerType method = ctx.method();
    if (method != HandlerType.POST && method != HandlerType.PUT && method != HandlerType.PATCH) {
      return;
    }
    boolean hasBody = ctx.contentLength() > 0 || ctx.header("Transfer-Encoding") != null;
    String media = MediaTypes.exact(ctx.contentType());
    if (hasBody && !"application/json".equals(media) && !"application/x-ndjson".equals(media)) {
      throw new ProblemException(
          415,
          "unsupported-media-type",
          "Unsupported media type",
          "request bodies must be application/json (optionally with charset=utf-8)");
    }
  }
}
