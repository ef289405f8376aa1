package dev.privacykit.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The hand-written OpenAPI 3.1 document of the HTTP API, served at {@code /openapi.yaml}. */
final class OpenApi {
  static final String RESOURCE = "/dev/privacykit/server/openapi.yaml";
  private static final String DOCUMENT = load();

  private OpenApi() {}

  static String document() {
    return DOCUMENT;
  }

  static void serve(Context ctx) {
    ctx.contentType("application/yaml; charset=utf-8").result(DOCUMENT);
  }

  private static String load() {
    try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("openapi.yaml is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
