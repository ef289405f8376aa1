package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static dev.privacykit.server.http.ConsentRoutes.self;
import static dev.privacykit.server.http.ConsentRoutes.tenant;

import dev.privacykit.consent.Evidence;
import dev.privacykit.consent.NominationEvent;
import dev.privacykit.consent.Nominations;
import dev.privacykit.consent.NomineeRelation;
import dev.privacykit.javalin.PrivacyPlugin;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.Services;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;

/**
 * The nomination register (DPDP Act s.14) over HTTP. A data principal manages her own nominees with
 * her own token ({@code requests:self}; the principal is the token's {@code sub}, never a field):
 * {@code /v1/me/nominees}. The fiduciary ({@code requests:manage}) reads a principal's register and
 * records or rescinds her death or incapacity: {@code /v1/subjects/{subject}/nominees}, {@code
 * /v1/subjects/{subject}/nomination-events}. What a nominee does for a principal is {@link
 * NomineeRoutes}.
 */
final class NominationRoutes {
  private final Nominations nominations;

  private NominationRoutes(Services services) {
    this.nominations = services.nominations;
  }

  /** Mounts these routes and the nominee's ({@link NomineeRoutes}). */
  static void mount(JavalinConfig config, Services services) {
    NominationRoutes routes = new NominationRoutes(services);
    var r = config.routes;
    r.get("/v1/me/nominees", routes::mine, requires(Scopes.REQUESTS_SELF));
    r.post("/v1/me/nominees", routes::add, requires(Scopes.REQUESTS_SELF));
    r.post("/v1/me/nominees/{id}/revoke", routes::revoke, requires(Scopes.REQUESTS_SELF));
    r.get("/v1/subjects/{subject}/nominees", routes::register, requires(Scopes.REQUESTS));
    r.post("/v1/subjects/{subject}/nomination-events", routes::record, requires(Scopes.REQUESTS));
    r.post(
        "/v1/subjects/{subject}/nomination-events/{id}/rescind",
        routes::rescind,
        requires(Scopes.REQUESTS));
    NomineeRoutes.mount(config, services);
  }

  private void mine(Context ctx) {
    String principal = self(ctx);
    String tenant = tenant(ctx);
    Json.write(
        ctx,
        200,
        NominationViews.register(
            nominations.list(tenant, principal), nominations.events(tenant, principal), null));
  }

  private void add(Context ctx) {
    String principal = self(ctx);
    Fields body = Json.body(ctx).only("nominee", "relation", "contact_reference", "evidence");
    String nominee = body.text("nominee", 256);
    NomineeRelation relation = body.enumValue("relation", NomineeRelation.class, null);
    String contact = body.optionalText("contact_reference", 256);
    // By default now, with the caller's user agent hashed.
    Evidence evidence =
        EvidenceFields.read(
            body.optionalObject("evidence"),
            Evidence.of(Instant.now(), null, null, ctx.userAgent(), null));
    Json.write(
        ctx,
        201,
        NominationViews.nominee(
            nominations.add(tenant(ctx), principal, nominee, relation, contact, evidence)));
  }

  private void revoke(Context ctx) {
    String principal = self(ctx);
    String id = Fields.path(ctx, "id");
    Fields body = Json.optionalBody(ctx).only("reason");
    Json.write(
        ctx,
        200,
        NominationViews.nominee(
            nominations.revoke(tenant(ctx), principal, id, body.optionalText("reason", 1000))));
  }

  private void register(Context ctx) {
    String subject = Fields.path(ctx, "subject");
    String tenant = tenant(ctx);
    Json.write(
        ctx,
        200,
        NominationViews.register(
            nominations.list(tenant, subject),
            nominations.events(tenant, subject),
            nominations.history(tenant, subject)));
  }

  private void record(Context ctx) {
    String subject = Fields.path(ctx, "subject");
    Fields body = Json.body(ctx).only("kind", "occurred_at", "evidence_reference", "verified_by");
    NominationEvent.Kind kind = body.enumValue("kind", NominationEvent.Kind.class, null);
    Instant occurred = body.optionalInstant("occurred_at");
    NominationEvent event =
        nominations.recordEvent(
            tenant(ctx),
            subject,
            kind,
            occurred,
            body.text("evidence_reference", 256),
            body.text("verified_by", 256));
    Json.write(ctx, 201, NominationViews.event(event));
  }

  private void rescind(Context ctx) {
    String subject = Fields.path(ctx, "subject");
    String id = Fields.path(ctx, "id");
    Fields body = Json.body(ctx).only("reason");
    Json.write(
        ctx,
        200,
        NominationViews.event(
            nominations.rescindEvent(
                tenant(ctx),
                subject,
                id,
                body.text("reason", 1000),
                PrivacyPlugin.principal(ctx).subject())));
  }
}
