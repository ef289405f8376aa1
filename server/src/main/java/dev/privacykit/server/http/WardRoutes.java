package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static dev.privacykit.server.http.ConsentRoutes.self;
import static dev.privacykit.server.http.ConsentRoutes.tenant;
import static dev.privacykit.server.http.Json.object;

import dev.privacykit.consent.GuardianLink;
import dev.privacykit.javalin.PrivacyPlugin;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.Services;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/**
 * What a verified parent or lawful guardian does for her wards with her own token ({@code
 * consents:self}; the guardian is the token's {@code sub}): {@code /v1/me/wards} lists them, and
 * {@code /v1/me/wards/{ward}/consents[/{purpose}/{action}]} reads and changes a ward's consents, as
 * {@code acting_party guardian} under her link. A token that is no guardian of the ward now gets
 * the same 403 {@code guardian-not-verified} whether the ward exists or not.
 */
final class WardRoutes {
  private final Services services;

  private WardRoutes(Services services) {
    this.services = services;
  }

  static void mount(JavalinConfig config, Services services) {
    WardRoutes routes = new WardRoutes(services);
    var r = config.routes;
    r.get("/v1/me/wards", routes::wards, requires(Scopes.CONSENTS_SELF));
    r.get("/v1/me/wards/{ward}/consents", routes::consents, requires(Scopes.CONSENTS_SELF));
    r.post(
        "/v1/me/wards/{ward}/consents/{purpose}/{action}",
        routes::change,
        requires(Scopes.CONSENTS_SELF));
  }

  private void wards(Context ctx) {
    String guardian = self(ctx);
    Json.write(
        ctx,
        200,
        object(
            "guardian",
            guardian,
            "wards",
            Json.list(services.guardians.wardsOf(tenant(ctx), guardian), GuardianViews::link)));
  }

  /** The ward of the path, once the token's subject is shown to be her guardian now. */
  private String ward(Context ctx) {
    String guardian = PrivacyPlugin.principal(ctx).subject();
    String ward = Fields.path(ctx, "ward");
    PrivacyPlugin.auditSubject(ctx, ward);
    GuardianLink link = services.guardians.verifyMayAct(tenant(ctx), ward, guardian);
    PrivacyPlugin.auditActorRole(ctx, "guardian:" + link.id());
    return ward;
  }

  private void consents(Context ctx) {
    ConsentRoutes.writeAll(ctx, services, ward(ctx));
  }

  private void change(Context ctx) {
    String ward = ward(ctx);
    String guardian = PrivacyPlugin.principal(ctx).subject();
    Json.write(
        ctx,
        201,
        Views.event(
            ConsentChanges.apply(ctx, services, ward, ConsentChanges.By.guardian(guardian))));
  }
}
