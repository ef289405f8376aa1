package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.PUBLIC;

import dev.privacykit.javalin.ProblemException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The privacy console's static files at {@code /console/}, from the classpath folder the build
 * fills from {@code console/}. The page holds no data: it calls the {@code /v1} API with the token
 * its user pastes. Its own Content-Security-Policy allows only its own scripts, styles and API
 * calls (no inline script, no framing); file names are checked before any lookup.
 */
final class ConsoleRoutes {
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
          + " form-action 'none'; frame-ancestors 'none'";
  private static final String ROOT = "/dev/privacykit/server/console/";
  private static final Pattern SAFE_PATH =
      Pattern.compile("(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon",
          "json", "application/json",
          "woff2", "font/woff2",
          "txt", "text/plain; charset=utf-8");

  private ConsoleRoutes() {}

  static void mount(JavalinConfig config) {
    // Javalin ignores trailing slashes: this serves /console too (the page's URLs are absolute).
    config.routes.get("/console/", ctx -> serve(ctx, "index.html"), PUBLIC);
    config.routes.get("/console/<path>", ctx -> serve(ctx, ctx.pathParam("path")), PUBLIC);
  }

  private static void serve(Context ctx, String path) throws IOException {
    String type = type(path);
    InputStream in =
        SAFE_PATH.matcher(path).matches() && type != null
            ? ConsoleRoutes.class.getResourceAsStream(ROOT + path)
            : null;
    if (in == null) {
      throw new ProblemException(404, "not-found", "Not found", "no such console file");
    }
    try (in) {
      ctx.header("Content-Security-Policy", CSP);
      ctx.header("Referrer-Policy", "no-referrer");
      ctx.header("Cross-Origin-Opener-Policy", "same-origin");
      // Vite names assets by content hash; the page itself must be fetched again each time.
      ctx.header(
          "Cache-Control",
          path.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache");
      ctx.contentType(type).result(in.readAllBytes());
    }
  }

  private static String type(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? null : TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
