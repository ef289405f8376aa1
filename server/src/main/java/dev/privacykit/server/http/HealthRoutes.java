package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.PUBLIC;

import dev.privacykit.storage.Database;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpStatus;
import java.util.Map;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready} (the database answers and
 * its migrations are applied). Both are public and carry no personal data.
 */
final class HealthRoutes {
  private HealthRoutes() {}

  static void mount(JavalinConfig config, Database database) {
    config.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")), PUBLIC);
    config.routes.get(
        "/health/ready",
        ctx -> {
          boolean ready = database.isReady();
          ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
              .json(Map.of("status", ready ? "UP" : "DOWN"));
        },
        PUBLIC);
  }
}
