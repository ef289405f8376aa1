package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.PUBLIC;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.storage.Database;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpStatus;
import java.util.Map;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready} (the database answers within
 * a second, its migrations are applied, and the audit log takes entries). Both are public and carry
 * no personal data.
 */
final class HealthRoutes {
  private HealthRoutes() {}

  static void mount(JavalinConfig config, Database database, AuditLog audit) {
    config.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")), PUBLIC);
    config.routes.get(
        "/health/ready",
        ctx -> {
          boolean ready = database.isReady() && audit.isAvailable();
          ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
              .json(Map.of("status", ready ? "UP" : "DOWN"));
        },
        PUBLIC);
  }
}
