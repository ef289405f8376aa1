package dev.privacykit.examples.readme;

import static dev.privacykit.javalin.PrivacyPlugin.PUBLIC;
import static dev.privacykit.javalin.PrivacyPlugin.requires;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.consent.ConsentLedger;
import dev.privacykit.javalin.PrivacyPlugin;
import dev.privacykit.policies.LivePolicy;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URI;

/** javalin/README.md's snippet, compiled and started by ReadmeSnippetsTest. */
public final class JavalinReadme {
  private JavalinReadme() {}

  /** The app of the snippet (not started). */
  public static Javalin create(
      URI jwks, LivePolicy livePolicy, ConsentLedger ledger, AuditLog auditLog) {
    // readme:begin
    var app =
        Javalin.create(
            config -> {
              config.registerPlugin(
                  new PrivacyPlugin(
                      privacy ->
                          privacy
                              .tokens(
                                  t ->
                                      t.issuer(
                                          "https://id.example.com",
                                          i -> i.jwksUrl(jwks).audience("orders-api")))
                              .policy(livePolicy)
                              .consent(ledger.lookup())
                              .audit(auditLog)
                              .cors("https://app.example.com")
                              .trustedProxies("10.0.0.2")
                              .rateLimits(1_200, 2_400)));
              config.routes.get("/health", Health::show, PUBLIC);
              config.routes.get(
                  "/orders/{id}",
                  Orders::show,
                  requires("orders:read").purpose("order_fulfilment").subjectFromToken());
            });
    // readme:end
    return app;
  }

  static final class Health {
    static void show(Context ctx) {
      ctx.result("ok");
    }
  }

  static final class Orders {
    static void show(Context ctx) {
      ctx.json(java.util.Map.of("order", ctx.pathParam("id")));
    }
  }
}
