package dev.privacykit.javalin;

import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditQuery;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.javalin.testing.TestIssuer;
import dev.privacykit.policies.ConsentAnswer;
import dev.privacykit.policies.ConsentLookup;
import dev.privacykit.policies.ConsentState;
import dev.privacykit.policies.InMemoryConsentLookup;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.storage.Database;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every reason the consent guard can deny for, each over real HTTP: the 403 problem type names the
 * reason, the body does not name the subject, and the denial is in the audit log. (The one reason
 * not here, special-category-without-condition, cannot be reached through a loaded policy: the
 * loader refuses a GDPR purpose with special categories and no Art. 9(2) condition, as
 * PolicyLoaderTest shows; the engine keeps the check as a second line.)
 */
class ConsentDenialsTest {
  @RegisterExtension static final TestIssuer ISSUER = new TestIssuer("shop-api");
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final InMemoryConsentLookup CONSENTS = new InMemoryConsentLookup();
  static final Instant NOW = Instant.now();
  static Database db;
  static AuditLog audit;
  static Javalin app;

  /** A lookup that cannot answer for one tenant, as an unreachable consent service would. */
  static final ConsentLookup LOOKUP =
      (tenant, subject, purpose) -> {
        if (tenant.equals("down")) {
          throw new ConsentLookup.ConsentLookupException("service unreachable", null);
        }
        return CONSENTS.lookup(tenant, subject, purpose);
      };

  @BeforeAll
  static void start() {
    db =
        Database.open(
            Database.inMemoryUrl("denials_" + UUID.randomUUID().toString().substring(0, 8)));
    db.migrate();
    audit =
        AuditLog.open(
            db, c -> c.origin("t/denials").signer(CheckpointSigner.generate("t/denials")));
    app =
        Javalin.create(
                config -> {
                  config.registerPlugin(
                      new PrivacyPlugin(
                          p ->
                              p.tokens(
                                      t ->
                                          t.issuer(
                                              ISSUER.issuer(),
                                              i ->
                                                  i.jwksUrl(ISSUER.jwksUri()).audience("shop-api")))
                                  .policy(PolicyPacks.gdpr())
                                  .consent(LOOKUP)
                                  .audit(audit)
                                  .auditWaitsForCommit()));
                  route(config, "newsletter", "email_marketing", "user.contact.email");
                  route(config, "ads", "targeted_advertising", null);
                  route(config, "orders", "order_fulfilment", null);
                  route(config, "profiling", "profiling", null);
                  route(config, "newsletter-phone", "email_marketing", "user.contact.phone");
                  route(config, "newsletter-unknown", "email_marketing", "user.shoe_size");
                })
            .start(0);
  }

  private static void route(
      io.javalin.config.JavalinConfig config, String path, String purpose, String category) {
    Requirement requirement = requires("shop").purpose(purpose).subjectFromPath("subject");
    if (category != null) {
      requirement = requirement.categories(category);
    }
    config.routes.get("/" + path + "/{subject}", ctx -> ctx.result("ok"), requirement);
  }

  @AfterAll
  static void stop() {
    app.stop();
    audit.close();
    db.shutdownInMemory();
  }

  static HttpResponse<String> get(String path, String tenant, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
            .header("Authorization", "Bearer " + ISSUER.token("svc-shop", tenant, "shop"));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static ConsentAnswer answer(ConsentState state, int version, Instant expires, boolean explicit) {
    return new ConsentAnswer(state, version, NOW.minusSeconds(3_600), expires, explicit, null);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "no-consent,                       newsletter,         NONE,      2, ,        ",
    "consent-refused,                  newsletter,         REFUSED,   2, ,        ",
    "consent-withdrawn,                newsletter,         WITHDRAWN, 2, ,        ",
    "consent-expired,                  newsletter,         EXPIRED,   2, ,        ",
    "consent-expired,                  newsletter,         GIVEN,     2, PAST,    ",
    "consent-needs-renewal,            newsletter,         GIVEN,     1, ,        ",
    "gpc-opt-out,                      ads,                GIVEN,     2, ,        GPC",
    "actor-not-permitted,              orders,             GIVEN,     2, ,        ",
    "unknown-purpose,                  profiling,          GIVEN,     2, ,        ",
    "category-not-in-purpose,          newsletter-phone,   GIVEN,     2, ,        ",
    "unknown-category,                 newsletter-unknown, GIVEN,     2, ,        ",
  })
  void denial_is403WithTheReason_withoutTheSubject_andAudited(
      String reason, String route, ConsentState state, int version, String expiry, String signal)
      throws Exception {
    String subject = "subj_" + UUID.randomUUID();
    String purpose =
        switch (route) {
          case "ads" -> "targeted_advertising";
          case "orders" -> "order_fulfilment";
          default -> "email_marketing";
        };
    if (state != ConsentState.NONE) {
      CONSENTS.put(
          "acme",
          subject,
          purpose,
          answer(
              state,
              version,
              expiry == null ? null : NOW.minusSeconds(60),
              // An explicit opt-in would win over the GPC signal, as the pack allows.
              signal == null));
    }
    HttpResponse<String> response =
        signal == null
            ? get("/" + route + "/" + subject, "acme")
            : get("/" + route + "/" + subject, "acme", "Sec-GPC", "1");
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(response.body())
        .contains("\"type\":\"https://privacykit.dev/problems/processing-denied/" + reason + "\"")
        .contains("\"correlation_id\"")
        .doesNotContain(subject);
    assertThat(audit.query(AuditQuery.tenant("acme").subject(subject)))
        .extracting(r -> r.entry().action())
        .containsExactly(Action.ACCESS_DENIED);
  }

  @Test
  void unreachableConsentLookup_failsClosed() throws Exception {
    HttpResponse<String> response = get("/newsletter/subj_1", "down");
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("processing-denied/consent-unavailable");
  }

  @Test
  void theSameRoutes_allowWhenConsentIsValid() throws Exception {
    String subject = "subj_" + UUID.randomUUID();
    CONSENTS.put("acme", subject, "email_marketing", answer(ConsentState.GIVEN, 2, null, true));
    assertThat(get("/newsletter/" + subject, "acme").statusCode()).isEqualTo(200);
    assertThat(audit.query(AuditQuery.tenant("acme").subject(subject)))
        .extracting(r -> r.entry().action())
        .containsExactly(Action.READ);
  }
}
