package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.PUBLIC;

import dev.privacykit.audit.AuditPublication;
import dev.privacykit.server.AuditTrees;
import dev.privacykit.storage.Database;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpStatus;
import java.util.Map;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready} (the database answers within
 * a second, its migrations are applied, and the audit log takes entries; with each check's state
 * and the publication to witnesses). Both are public and carry no personal data.
 */
final class HealthRoutes {
  private HealthRoutes() {}

  /** OFF (no witnesses), UP, FAILING (a witness did not answer last time) or DIVERGED. */
  private static String publication(AuditPublication publication) {
    if (!publication.enabled()) {
      return "OFF";
    }
    if (publication.divergence().isPresent()) {
      return "DIVERGED";
    }
    return publication.witnesses().stream().anyMatch(w -> w.lastError() != null) ? "FAILING" : "UP";
  }

  static void mount(JavalinConfig config, Database database, AuditTrees audit) {
    config.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")), PUBLIC);
    config.routes.get(
        "/health/ready",
        ctx -> {
          boolean databaseUp = database.isReady();
          boolean auditUp = audit.isAvailable();
          boolean ready = databaseUp && auditUp;
          // Publication is reported, not required: appends go on while witnesses are away.
          ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
              .json(
                  Map.of(
                      "status",
                      ready ? "UP" : "DOWN",
                      "checks",
                      Map.of(
                          "database", databaseUp ? "UP" : "DOWN",
                          "audit_log", auditUp ? "UP" : "DOWN",
                          "publication", publication(audit.anchor().publication()))));
        },
        PUBLIC);
  }
}
