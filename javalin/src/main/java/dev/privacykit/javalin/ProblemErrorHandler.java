package dev.privacykit.javalin;

import dev.privacykit.audit.ExportText;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers the HTTP server gives before any route runs (a URI too long, headers too large, a
 * path that does not decode) as RFC 9457 problems like every other error, never HTML. The detail is
 * fixed per status: nothing from the request is echoed.
 */
final class ProblemErrorHandler extends ErrorHandler {

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus() >= 400 ? response.getStatus() : 500;
    String type =
        switch (status) {
          case 400 -> "bad-request";
          case 414 -> "uri-too-long";
          case 431 -> "headers-too-large";
          default -> "http-" + status;
        };
    String detail =
        switch (status) {
          case 400 -> "the request could not be read (a malformed URI, path or header)";
          case 414 -> "the URI is longer than this server accepts";
          case 431 -> "the request headers are larger than this server accepts";
          default -> "the request could not be served";
        };
    String body =
        "{\"type\":"
            + ExportText.json(ProblemException.TYPE_BASE + type)
            + ",\"title\":"
            + ExportText.json(HttpStatus.getMessage(status))
            + ",\"status\":"
            + status
            + ",\"detail\":"
            + ExportText.json(detail)
            + ",\"correlation_id\":"
            + ExportText.json(UUID.randomUUID().toString())
            + "}";
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
