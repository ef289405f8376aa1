package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static dev.privacykit.server.http.ConsentRoutes.tenant;

import dev.privacykit.consent.RecipientNotice;
import dev.privacykit.javalin.PrivacyPlugin;
import dev.privacykit.javalin.ProblemException;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.Services;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/**
 * {@code POST /v1/requests/{id}/recipients/{recipient}/confirm}: a recipient of the policy confirms
 * that it did what the notice of a rectification, erasure or restriction asked (GDPR Art. 19, DPDP
 * Act s.8(7)(b)). The token needs {@code requests:confirm}, which no other scope (not even the
 * admin scope) includes, and its {@code sub} must be the recipient's id in the policy: a recipient
 * confirms only its own notices (403 otherwise), of its token's tenant only (another tenant's
 * request is 404, as is a request it was not told of).
 */
final class RecipientRoutes {
  private final Services services;

  private RecipientRoutes(Services services) {
    this.services = services;
  }

  static void mount(JavalinConfig config, Services services) {
    RecipientRoutes routes = new RecipientRoutes(services);
    config.routes.post(
        "/v1/requests/{id}/recipients/{recipient}/confirm",
        routes::confirm,
        requires(Scopes.REQUESTS_CONFIRM));
  }

  private void confirm(Context ctx) {
    String recipient = Fields.path(ctx, "recipient");
    if (!recipient.equals(PrivacyPlugin.principal(ctx).subject())) {
      throw new ProblemException(
          403,
          "not-this-recipient",
          "Not this recipient",
          "a recipient confirms only its own notices: the token's subject must be {recipient}");
    }
    String id = Fields.path(ctx, "id");
    String reference = Json.body(ctx).only("reference").text("reference", 256);
    services
        .requests
        .get(id)
        .filter(r -> r.tenant().equals(tenant(ctx)))
        .ifPresent(r -> PrivacyPlugin.auditSubject(ctx, r.subject()));
    RecipientNotice notice =
        services.recipientNotices.confirm(tenant(ctx), id, recipient, reference);
    Json.write(ctx, 200, RecipientViews.forFiduciary(notice, services));
  }
}
