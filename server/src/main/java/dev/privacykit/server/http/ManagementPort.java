package dev.privacykit.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The management port: {@code GET /metrics} without a token, bound to the loopback address only, so
 * a Prometheus agent on the same host (or a sidecar sharing its network namespace) scrapes without
 * a long-lived bearer token. Nothing else is served there.
 */
final class ManagementPort implements AutoCloseable {
  private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;

  private ManagementPort(HttpServer server) {
    this.server = server;
  }

  /** Starts serving {@code metrics} on the loopback address at {@code port} (0: a free one). */
  static ManagementPort start(int port, Supplier<String> metrics) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the management port " + port, e);
    }
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String method = exchange.getRequestMethod();
            if (!exchange.getRequestURI().getPath().equals("/metrics")) {
              answer(exchange, 404, "text/plain; charset=utf-8", "not found\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
              exchange.getResponseHeaders().set("Allow", "GET, HEAD");
              answer(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
            } else {
              answer(exchange, 200, TEXT, metrics.get());
            }
          }
        });
    server.start();
    return new ManagementPort(server);
  }

  private static void answer(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The bound address (always a loopback address). */
  InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
