package dev.privacykit.javalin;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
  private final ConcurrentHashMap<String, long[]> windows = new ConcurrentHashMap<>();

  Hygiene(
      Set<String> corsOrigins,
      Set<String> trustedProxies,
      int perIpPerMinute,
      int perPrincipalPerMinute) {
    this.corsOrigins = Set.copyOf(corsOrigins);
    this.trustedProxies = Set.copyOf(trustedProxies);
    this.perIpPerMinute = perIpPerMinute;
    this.perPrincipalPerMinute = perPrincipalPerMinute;
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
    limitIp(ctx);
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
          "Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id, Sec-GPC");
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

  void limitIp(Context ctx) {
    limit("ip:" + clientIp(ctx), perIpPerMinute);
  }

  void limitPrincipal(Principal principal) {
    limit("principal:" + principal.issuer() + "|" + principal.subject(), perPrincipalPerMinute);
  }

  /** A fixed one-minute window per key. */
  private void limit(String key, int perMinute) {
    if (perMinute <= 0) {
      return;
    }
    long minute = System.currentTimeMillis() / 60_000;
    if (windows.size() > 100_000) {
      windows.clear();
    }
    long[] window = windows.computeIfAbsent(key, k -> new long[2]);
    long count;
    synchronized (window) {
      if (window[0] != minute) {
        window[0] = minute;
        window[1] = 0;
      }
      count = ++window[1];
    }
    if (count > perMinute) {
      long retryAfter = 60 - (System.currentTimeMillis() / 1000) % 60;
      throw new ProblemException(
          429,
          "rate-limited",
          "Too many requests",
          "slow down and retry after the Retry-After header",
          null,
          Long.toString(Math.max(1, retryAfter)));
    }
  }

  /** Requests with a body must say it is JSON. */
  static void requireJson(Context ctx) {
    HandlerType method = ctx.method();
    if (method != HandlerType.POST && method != HandlerType.PUT && method != HandlerType.PATCH) {
      return;
    }
    String type = ctx.contentType();
    boolean hasBody = ctx.contentLength() > 0 || ctx.header("Transfer-Encoding") != null;
    if (hasBody
        && (type == null
            || !(type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")
                || type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-ndjson")))) {
      throw new ProblemException(
          415,
          "unsupported-media-type",
          "Unsupported media type",
          "request bodies must be application/json");
    }
  }
}
