package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static dev.privacykit.server.http.ConsentRoutes.self;
import static dev.privacykit.server.http.ConsentRoutes.tenant;
import static dev.privacykit.server.http.Json.object;

import dev.privacykit.consent.DataSubjectRequest;
import dev.privacykit.consent.RequestFiler;
import dev.privacykit.consent.RequestIntake;
import dev.privacykit.consent.RequestStatus;
import dev.privacykit.consent.RequestType;
import dev.privacykit.javalin.ProblemException;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.Services;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;

/**
 * {@code /v1/me/requests}: a data principal files, follows and withdraws its own data-subject
 * requests with its own token ({@code requests:self}), and reads the answers. The subject is the
 * token's {@code sub}, never a field; another principal's request is "not found". The fiduciary
 * sees the same requests in its queue ({@code /v1/requests}).
 */
final class MeRequestRoutes {
  private final Services services;

  private MeRequestRoutes(Services services) {
    this.services = services;
  }

  static void mount(JavalinConfig config, Services services) {
    MeRequestRoutes routes = new MeRequestRoutes(services);
    var r = config.routes;
    r.post("/v1/me/requests", routes::file, requires(Scopes.REQUESTS_SELF));
    r.get("/v1/me/requests", routes::list, requires(Scopes.REQUESTS_SELF));
    r.get("/v1/me/requests/{id}", routes::show, requires(Scopes.REQUESTS_SELF));
    r.post("/v1/me/requests/{id}/withdraw", routes::withdraw, requires(Scopes.REQUESTS_SELF));
    r.get("/v1/me/requests/{id}/package", routes::accessPackage, requires(Scopes.REQUESTS_SELF));
  }

  /**
   * Files a request. The token authenticated the principal, so identity counts as verified; the
   * regime is the policy's.
   */
  private void file(Context ctx) {
    String subject = self(ctx);
    Fields body = Json.body(ctx).only("type", "purposes");
    RequestType type = body.enumValue("type", RequestType.class, null);
    List<String> purposes = body.has("purposes") ? body.texts("purposes", 64, 128) : List.of();
    DataSubjectRequest request =
        services.requests.submit(
            RequestIntake.of(tenant(ctx), subject, type, services.policy.regime(), true)
                .purposes(purposes)
                .filedBy(RequestFiler.SUBJECT));
    ctx.header("Location", "/v1/me/requests/" + request.id());
    Json.write(ctx, 201, Views.request(request));
  }

  private void list(Context ctx) {
    String subject = self(ctx);
    var requests = services.requests.ofSubject(tenant(ctx), subject);
    Json.write(
        ctx,
        200,
        object(
            "requests",
            Json.list(requests, Views::request),
            "holds",
            Json.list(
                services.requests.holds(tenant(ctx), subject),
                row ->
                    object(
                        "request_id", row.get("request_id"),
                        "purpose", row.get("purpose"),
                        "kind", String.valueOf(row.get("kind")).toLowerCase(java.util.Locale.ROOT),
                        "since", RequestRoutes.at(row.get("since")),
                        "lifts_at", RequestRoutes.at(row.get("lifts_at"))))));
  }

  /** The caller's own request; 404 for anyone else's, in any tenant. */
  private DataSubjectRequest own(Context ctx) {
    String subject = self(ctx);
    String id = Fields.path(ctx, "id");
    return services
        .requests
        .get(id)
        .filter(r -> r.tenant().equals(tenant(ctx)) && r.subject().equals(subject))
        .orElseThrow(
            () -> new ProblemException(404, "not-found", "Not found", "you have no such request"));
  }

  private void show(Context ctx) {
    DataSubjectRequest request = own(ctx);
    var view = Views.request(request);
    view.put("recipients", RecipientViews.ofRequestForPrincipal(request, services));
    view.put("history", RequestRoutes.history(services.requests.history(request.id())));
    Json.write(ctx, 200, view);
  }

  private void withdraw(Context ctx) {
    DataSubjectRequest request = own(ctx);
    Json.optionalBody(ctx).only();
    Json.write(ctx, 200, Views.request(services.requests.withdraw(request.id())));
  }

  /** The package of a fulfilled access or portability request: the answer the principal reads. */
  private void accessPackage(Context ctx) throws Exception {
    DataSubjectRequest request = own(ctx);
    if (request.status() != RequestStatus.FULFILLED) {
      throw new ProblemException(
          409,
          "not-ready",
          "Not answered yet",
          "the package is ready once the request is fulfilled");
    }
    RequestRoutes.writePackage(ctx, services, request);
  }
}
