package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static dev.privacykit.server.http.ConsentRoutes.tenant;
import static dev.privacykit.server.http.Json.object;

import dev.privacykit.consent.Webhooks;
import dev.privacykit.javalin.ProblemException;
import dev.privacykit.policies.Recipient;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.Services;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;

/**
 * {@code /v1/webhooks}: register a recipient (its signing secret is shown once), optionally as the
 * endpoint of a recipient of the policy ({@code policy_recipient}), remove one, list deliveries.
 */
final class WebhookRoutes {
  private final Services services;

  private WebhookRoutes(Services services) {
    this.services = services;
  }

  static void mount(JavalinConfig config, Services services) {
    WebhookRoutes routes = new WebhookRoutes(services);
    config.routes.post("/v1/webhooks", routes::register, requires(Scopes.WEBHOOKS));
    config.routes.get("/v1/webhooks/deliveries", routes::deliveries, requires(Scopes.WEBHOOKS));
    config.routes.delete("/v1/webhooks/{id}", routes::remove, requires(Scopes.WEBHOOKS));
  }

  private void remove(Context ctx) {
    if (!services.webhooks.remove(tenant(ctx), ctx.pathParam("id"))) {
      throw new ProblemException(
          404, "not-found", "Not found", "no active recipient with this id in this tenant");
    }
    ctx.status(204);
  }

  private void register(Context ctx) throws Exception {
    Fields body = Json.body(ctx).only("url", "events", "policy_recipient");
    String url = body.text("url", 2_048);
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw ProblemException.invalid("/url", "must be an absolute URL");
    }
    var events = new LinkedHashSet<>(body.texts("events", 16, 64));
    String standsFor = body.optionalText("policy_recipient", 128);
    Recipient policyRecipient = null;
    if (standsFor != null) {
      policyRecipient = services.policy.recipients().get(standsFor);
      if (policyRecipient == null) {
        throw ProblemException.invalid("/policy_recipient", "not a recipient of the policy");
      }
    }
    Webhooks.Recipient recipient =
        services.webhooks.register(tenant(ctx), uri, events, policyRecipient);
    Json.write(
        ctx,
        201,
        object(
            "id", recipient.id(),
            "url", recipient.url().toString(),
            "events", recipient.events().stream().sorted().toList(),
            "policy_recipient", standsFor,
            "secret", recipient.secret()));
  }

  private void deliveries(Context ctx) {
    Json.write(
        ctx,
        200,
        object(
            "deliveries", Json.list(services.webhooks.deliveries(tenant(ctx)), Views::delivery)));
  }
}
