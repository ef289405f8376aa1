package dev.privacykit.examples;

import static dev.privacykit.javalin.PrivacyPlugin.PUBLIC;
import static dev.privacykit.javalin.PrivacyPlugin.requires;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.consent.ConsentChange;
import dev.privacykit.consent.ConsentLedger;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.javalin.PrivacyPlugin;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.storage.Database;
import io.javalin.Javalin;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;

/**
 * A small orders API protected by the PrivacyKit plugin: every route declares what it needs; the
 * order route relies on a contract, the newsletter preview on consent the caller gives and
 * withdraws through the API. Runs on an in-memory database with a development token issuer (HS256,
 * the plugin's explicit single-issuer mode) and prints a token to try it with.
 */
public final class OrdersApp {
  static final String ISSUER = "https://dev.privacykit.local";
  static final String AUDIENCE = "orders-api";

  private OrdersApp() {}

  /**
   * Starts the app on {@code port} (0: any free port) over {@code database}, trusting tokens signed
   * with {@code secret}.
   */
  public static Javalin start(int port, Database database, byte[] secret) {
    AuditLog audit =
        AuditLog.open(
            database,
            c ->
                c.origin("orders-example/audit")
                    .signer(CheckpointSigner.generate("orders-example/audit"))
                    .subjectKeys(SubjectKeys.open(database, RootKeys.ephemeral())));
    ConsentLedger ledger =
        ConsentLedger.open(database, c -> c.policy(PolicyPacks.gdpr()).audit(audit));
    return Javalin.create(
            config -> {
              config.registerPlugin(
                  new PrivacyPlugin(
                      privacy ->
                          privacy
                              .tokens(
                                  t ->
                                      t.insecureHs256SingleIssuer(secret)
                                          .issuer(ISSUER, i -> i.audience(AUDIENCE)))
                              .policy(PolicyPacks.gdpr())
                              .consent(ledger.lookup())
                              .audit(audit)));
              config.routes.get("/health", ctx -> ctx.result("ok"), PUBLIC);
              config.routes.get(
                  "/orders/{id}",
                  ctx ->
                      ctx.json(java.util.Map.of("order", ctx.pathParam("id"), "status", "shipped")),
                  requires("orders:read")
                      .purpose("order_fulfilment")
                      .categories("user.identity.name")
                      .subjectFromToken());
              config.routes.post(
                  "/newsletter",
                  ctx -> {
                    String subject = PrivacyPlugin.principal(ctx).subject();
                    ledger.give(
                        ConsentChange.of(
                            PrivacyPlugin.principal(ctx).tenant(),
                            subject,
                            "email_marketing",
                            2,
                            "en"));
                    ctx.status(201);
                  },
                  requires("consents:write"));
              config.routes.delete(
                  "/newsletter",
                  ctx -> {
                    ledger.withdraw(
                        ConsentChange.of(
                            PrivacyPlugin.principal(ctx).tenant(),
                            PrivacyPlugin.principal(ctx).subject(),
                            "email_marketing",
                            2,
                            "en"));
                    ctx.status(204);
                  },
                  requires("consents:write"));
              config.routes.get(
                  "/newsletter/preview",
                  ctx -> ctx.result("This week: 20% off boots."),
                  requires("orders:read")
                      .purpose("email_marketing")
                      .categories("user.contact.email")
                      .subjectFromToken());
              config.events.serverStopped(
                  () -> {
                    ledger.close();
                    audit.close();
                  });
            })
        .start(port);
  }

  /** A development token for {@code subject} in {@code tenant}. */
  public static String token(byte[] secret, String subject, String tenant, String scopes) {
    try {
      Instant now = Instant.now();
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader(JWSAlgorithm.HS256),
              new JWTClaimsSet.Builder()
                  .issuer(ISSUER)
                  .audience(AUDIENCE)
                  .subject(subject)
                  .claim("tenant", tenant)
                  .claim("scope", scopes)
                  .issueTime(Date.from(now))
                  .expirationTime(Date.from(now.plusSeconds(3_600)))
                  .build());
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs the app on port 7070 and prints how to call it. */
  public static void main(String[] args) {
    Database database = Database.open(Database.inMemoryUrl("orders_example"));
    database.migrate();
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    Javalin app = start(7070, database, secret);
    String token = token(secret, "subj_alice", "acme", "orders orders:read consents:write");
    System.out.println("Orders example on http://localhost:" + app.port() + "; try:");
    System.out.println(
        "  curl -i -H 'Authorization: Bearer "
            + token
            + "' localhost:"
            + app.port()
            + "/newsletter/preview   # 403: no consent");
    System.out.println(
        "  curl -i -X POST -H 'Authorization: Bearer "
            + token
            + "' localhost:"
            + app.port()
            + "/newsletter            # give consent");
    System.out.println(
        "  curl -i -H 'Authorization: Bearer "
            + token
            + "' localhost:"
            + app.port()
            + "/newsletter/preview   # 200");
  }
}
