package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static dev.privacykit.server.http.ConsentRoutes.tenant;
import static dev.privacykit.server.http.Json.object;

import dev.privacykit.consent.DataSubjectRequest;
import dev.privacykit.consent.RequestType;
import dev.privacykit.javalin.PrivacyPlugin;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.Services;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;

/**
 * {@code /v1/me/principals/{principal}/requests}: a nominee, with her own verified token ({@code
 * requests:self}; she is the token's {@code sub}), files data-subject requests for a principal who
 * named her and follows those she filed, while the fiduciary has a death or incapacity of that
 * principal in force (DPDP Act s.14). Anything else, for whatever reason (not her nominee, revoked,
 * named after the event, no event or a rescinded one, another tenant), is the same 403 {@code
 * nomination-not-in-force}, so nobody learns whose nominee anyone is. Each call's audit entry names
 * the principal as subject and the nominee as actor, refusals included.
 */
final class NomineeRoutes {
  private final Services services;

  private NomineeRoutes(Services services) {
    this.services = services;
  }

  static void mount(JavalinConfig config, Services services) {
    NomineeRoutes routes = new NomineeRoutes(services);
    var r = config.routes;
    String path = "/v1/me/principals/{principal}/requests";
    r.post(path, routes::file, requires(Scopes.REQUESTS_SELF));
    r.get(path, routes::list, requires(Scopes.REQUESTS_SELF));
  }

  /** The principal in the path, named in the call's audit entry. */
  private static String principal(Context ctx) {
    String principal = Fields.path(ctx, "principal");
    PrivacyPlugin.auditSubject(ctx, principal);
    return principal;
  }

  /** Files a request for the principal; the regime is the policy's. */
  private void file(Context ctx) {
    String principal = principal(ctx);
    String nominee = PrivacyPlugin.principal(ctx).subject();
    services.nominations.verifyMayAct(tenant(ctx), principal, nominee); // before reading the body
    Fields body = Json.body(ctx).only("type", "purposes");
    RequestType type = body.enumValue("type", RequestType.class, null);
    List<String> purposes = body.has("purposes") ? body.texts("purposes", 64, 128) : List.of();
    DataSubjectRequest request =
        services.nominations.fileFor(
            tenant(ctx), principal, nominee, type, services.policy.regime(), purposes);
    Json.write(ctx, 201, Views.request(request));
  }

  private void list(Context ctx) {
    String principal = principal(ctx);
    String nominee = PrivacyPlugin.principal(ctx).subject();
    Json.write(
        ctx,
        200,
        object(
            "requests",
            Json.list(
                services.nominations.filedBy(tenant(ctx), principal, nominee), Views::request)));
  }
}
