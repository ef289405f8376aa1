package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static dev.privacykit.server.http.ConsentRoutes.tenant;

import dev.privacykit.consent.GuardianLink;
import dev.privacykit.consent.GuardianVerification;
import dev.privacykit.consent.Guardians;
import dev.privacykit.consent.WardMarking;
import dev.privacykit.javalin.PrivacyPlugin;
import dev.privacykit.javalin.ProblemException;
import dev.privacykit.policies.Guardianship;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.Services;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Guardianships over HTTP (DPDP Act s.9, Rules 10-11; GDPR Art. 8). The fiduciary ({@code
 * guardians:manage}) marks a principal as a child or a person with a lawful guardian and links the
 * parents and guardians it verified: {@code /v1/subjects/{subject}/guardianship}, {@code
 * /v1/subjects/{subject}/guardians}. A linked guardian acts for her wards with her own token:
 * {@code /v1/me/wards} ({@link WardRoutes}).
 */
final class GuardianRoutes {
  private final Guardians guardians;

  private GuardianRoutes(Services services) {
    this.guardians = services.guardians;
  }

  static void mount(JavalinConfig config, Services services) {
    GuardianRoutes routes = new GuardianRoutes(services);
    var r = config.routes;
    r.get("/v1/subjects/{subject}/guardianship", routes::read, requires(Scopes.GUARDIANS));
    r.post("/v1/subjects/{subject}/guardianship", routes::mark, requires(Scopes.GUARDIANS));
    r.post("/v1/subjects/{subject}/guardianship/clear", routes::clear, requires(Scopes.GUARDIANS));
    r.post("/v1/subjects/{subject}/guardians", routes::link, requires(Scopes.GUARDIANS));
    r.post(
        "/v1/subjects/{subject}/guardians/{id}/revoke", routes::revoke, requires(Scopes.GUARDIANS));
    WardRoutes.mount(config, services);
  }

  private static String actor(Context ctx) {
    return PrivacyPlugin.principal(ctx).subject();
  }

  private void read(Context ctx) {
    String subject = Fields.path(ctx, "subject");
    String tenant = tenant(ctx);
    Json.write(
        ctx,
        200,
        GuardianViews.guardianship(
            subject,
            guardians.marking(tenant, subject).orElse(null),
            guardians.markings(tenant, subject),
            guardians.links(tenant, subject)));
  }

  private void mark(Context ctx) {
    String subject = Fields.path(ctx, "subject");
    Fields body = Json.body(ctx).only("kind", "source", "reference", "until", "born_on");
    Guardianship.Kind kind = body.enumValue("kind", Guardianship.Kind.class, null);
    WardMarking.Source source = body.enumValue("source", WardMarking.Source.class, null);
    String reference = body.optionalText("reference", 128);
    LocalDate until = body.optionalDate("until");
    LocalDate bornOn = body.optionalDate("born_on");
    WardMarking marking;
    if (bornOn != null) {
      if (until != null || kind != Guardianship.Kind.CHILD) {
        throw ProblemException.invalid(
            "/born_on", "born_on is for a child only, instead of until (it is not kept)");
      }
      marking = guardians.markChild(tenant(ctx), subject, bornOn, source, reference, actor(ctx));
    } else {
      marking = guardians.mark(tenant(ctx), subject, kind, source, reference, until, actor(ctx));
    }
    Json.write(ctx, 201, GuardianViews.marking(marking));
  }

  private void clear(Context ctx) {
    String subject = Fields.path(ctx, "subject");
    Fields body = Json.body(ctx).only("reason");
    Json.write(
        ctx,
        200,
        GuardianViews.marking(
            guardians.clear(tenant(ctx), subject, body.text("reason", 1000), actor(ctx))));
  }

  private void link(Context ctx) {
    String ward = Fields.path(ctx, "subject");
    Fields body = Json.body(ctx).only("guardian", "relation", "verification");
    String guardian = body.text("guardian", 256);
    GuardianLink.Relation relation = body.enumValue("relation", GuardianLink.Relation.class, null);
    Fields v = body.optionalObject("verification");
    if (v == null) {
      throw ProblemException.invalid("/verification", "is required: how the guardian was verified");
    }
    v.only("method", "reference", "issuer", "verified_at", "verified_by");
    Instant verifiedAt = v.optionalInstant("verified_at");
    GuardianVerification verification =
        new GuardianVerification(
            v.enumValue("method", GuardianVerification.Method.class, null),
            v.text("reference", 128),
            v.optionalText("issuer", 128),
            verifiedAt == null ? Instant.now() : verifiedAt,
            java.util.Objects.requireNonNullElse(v.optionalText("verified_by", 256), actor(ctx)));
    Json.write(
        ctx,
        201,
        GuardianViews.link(guardians.link(tenant(ctx), ward, guardian, relation, verification)));
  }

  private void revoke(Context ctx) {
    String ward = Fields.path(ctx, "subject");
    String id = Fields.path(ctx, "id");
    Fields body = Json.body(ctx).only("reason");
    Json.write(
        ctx,
        200,
        GuardianViews.link(
            guardians.revoke(tenant(ctx), ward, id, body.text("reason", 1000), actor(ctx))));
  }
}
