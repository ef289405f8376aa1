package dev.privacykit.server.http;

import static dev.privacykit.server.http.ServiceApiTest.mint;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.Setting;
import dev.privacykit.server.http.ServiceApiTest.Answer;
import dev.privacykit.server.http.ServiceApiTest.Client;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consent Managers (DPDP Act s.6(7)-(9), Rules 2025 rule 4) over real HTTP, on H2 and PostgreSQL,
 * every JSON answer checked against the OpenAPI document: registration with public keys only,
 * artefacts submitted and recorded, refused as an attacker would try them (another manager's key,
 * an unregistered key, another tenant, a replay, an expired or future iat, alg none and HS256, a
 * tampered payload, an unknown purpose among valid ones, a suspended manager) with nothing stored,
 * a direct withdrawal reaching the manager's webhook (a real receiver) and its pull endpoint, and
 * what the principal sees of it through {@code /v1/me}, with its one audit entry.
 */
class ConsentManagersApiTest {
  @TempDir static Path dir;

  private static final String LIST = "/v1/consent-managers";
  private static final String ONE = "/v1/consent-managers/{id}";
  private static final String KEYS = "/v1/consent-managers/{id}/keys";
  private static final String SUSPEND = "/v1/consent-managers/{id}/suspend";
  private static final String RESUME = "/v1/consent-managers/{id}/resume";
  private static final String ARTEFACTS = "/v1/consent-managers/{id}/artefacts";
  private static final String CHANGES = "/v1/consent-managers/{id}/changes";
  private static final String ME = "/v1/me/consent-managers";
  private static final String CONSENT = "/v1/subjects/{subject}/consents/{purpose}";
  private static final String ACTION = "/v1/subjects/{subject}/consents/{purpose}/{action}";

  private static ECKey key(String kid) throws Exception {
    return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
  }

  private static String jwks(ECKey key) {
    return new JWKSet(key.toPublicJWK()).toString();
  }

  private static Map<String, Object> claims(
      String manager, String tenant, String subject, String action, List<String> purposes) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", manager);
    claims.put("aud", tenant);
    claims.put("sub", subject);
    claims.put("action", action);
    claims.put("purposes", purposes);
    claims.put("notice", Map.of("version", 2, "language", "hi"));
    claims.put("iat", Instant.now().getEpochSecond());
    claims.put("jti", UUID.randomUUID().toString());
    return claims;
  }

  private static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(claims);
    copy.put(name, value);
    return copy;
  }

  private static String sign(ECKey key, Map<String, Object> claims) throws Exception {
    JWSObject jws =
        new JWSObject(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
            new Payload(claims));
    jws.sign(new ECDSASigner(key));
    return jws.serialize();
  }

  private static String body(String artefact) {
    return "{\"artefact\":\"" + artefact + "\"}";
  }

  private static void assertProblem(Answer answer, int status, String type) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    assertThat(answer.json().get("type").asText()).endsWith("/" + type);
  }

  @DatabaseTest
  void consentManagers_overHttp(Database db) throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/cm",
        exchange -> {
          received.add(
              exchange.getRequestHeaders().getFirst("PrivacyKit-Signature")
                  + "\n"
                  + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    Path policy = dir.resolve("dpdp.yaml");
    Files.writeString(policy, PolicyPacks.text("dpdp.yaml"));
    Map<Setting, String> settings = new EnumMap<>(Setting.class);
    settings.put(Setting.DATA_DIR, dir.toString());
    settings.put(Setting.PORT, "0");
    settings.put(Setting.POLICY_FILE, policy.toString());
    try (PrivacyKitServer server =
        PrivacyKitServer.start(ServerConfig.load(null, Map.of(), settings), db)) {
      OpenApiContract contract = new OpenApiContract(OpenApi.document());
      assertThat(server.routes()).isEqualTo(contract.operations());
      String tenant = "cm-" + db.dialect().toString().toLowerCase(java.util.Locale.ROOT);
      Client dpo = new Client(server, contract, mint(dir, tenant, "dpo", Scopes.CONSENT_MANAGERS));
      Client cm = dpo.as(mint(dir, tenant, "cm-one", Scopes.CONSENT_MANAGERS_SUBMIT));
      Client cmElsewhere = dpo.as(mint(dir, "beta", "cm-one", Scopes.CONSENT_MANAGERS_SUBMIT));
      Client backend =
          dpo.as(mint(dir, tenant, "shop", Scopes.CONSENTS_WRITE + "," + Scopes.WEBHOOKS));
      Client admin = dpo.as(mint(dir, tenant, "shop", Scopes.ADMIN));
      Client alice = dpo.as(mint(dir, tenant, "alice", Scopes.CONSENTS_SELF));
      ECKey one = key("k1");
      ECKey two = key("k2");

      // a webhook standing for the manager subscribes to its changes only
      Answer hook =
          backend.post(
              "/v1/webhooks",
              "/v1/webhooks",
              "{\"url\":\"http://127.0.0.1:"
                  + receiver.getAddress().getPort()
                  + "/cm\",\"events\":[\"consent_manager.change\"]}");
      assertThat(hook.status()).as(hook.text()).isEqualTo(201);
      String webhook = hook.json().get("id").asText();

      // registration: public keys only, fields named
      assertProblem(
          dpo.post(
              LIST,
              LIST,
              "{\"id\":\"cm-one\",\"registration_number\":\"CM/1\",\"name\":\"One\",\"jwks\":"
                  + new JWKSet(one).toString(false)
                  + "}"),
          400,
          "invalid-field");
      assertProblem(
          dpo.post(LIST, LIST, "{\"id\":\"cm-one\",\"registration_number\":\"CM/1\"}"),
          400,
          "invalid-request");
      Answer registered =
          dpo.post(
              LIST,
              LIST,
              "{\"id\":\"cm-one\",\"registration_number\":\"CM/2026/0001\",\"name\":\"One Consent\","
                  + "\"webhook_id\":\""
                  + webhook
                  + "\",\"jwks\":"
                  + jwks(one)
                  + "}");
      assertThat(registered.status()).as(registered.text()).isEqualTo(201);
      assertThat(registered.json().get("status").asText()).isEqualTo("active");
      assertThat(registered.json().get("source").asText()).isEqualTo("api");
      Answer second =
          dpo.post(
              LIST,
              LIST,
              "{\"id\":\"cm-two\",\"registration_number\":\"CM/2\",\"name\":\"Two\",\"jwks\":"
                  + jwks(two)
                  + "}");
      assertThat(second.status()).as(second.text()).isEqualTo(201);
      assertProblem(
          dpo.post(
              LIST,
              LIST,
              "{\"id\":\"cm-one\",\"registration_number\":\"CM/3\",\"name\":\"Again\",\"jwks\":"
                  + jwks(two)
                  + "}"),
          409,
          "conflict");
      assertThat(dpo.get(LIST, LIST).json().get("consent_managers")).hasSize(2);
      assertProblem(cm.get(LIST, LIST), 403, "insufficient-scope");

      // attacker artefacts: refused, nothing recorded
      String path = "/v1/consent-managers/cm-one/artefacts";
      Map<String, Object> good =
          claims("cm-one", tenant, "alice", "give", List.of("account", "usage_analytics"));
      String signed = sign(one, good);
      String[] parts = signed.split("\\.");
      var encoder = Base64.getUrlEncoder().withoutPadding();
      String none = encoder.encodeToString("{\"alg\":\"none\"}".getBytes()) + "." + parts[1] + ".";
      JWSObject hs =
          new JWSObject(
              new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), new Payload(good));
      hs.sign(new MACSigner(jwks(one).repeat(2).getBytes(StandardCharsets.UTF_8)));
      String tampered =
          parts[0]
              + "."
              + encoder.encodeToString(
                  new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                      .replace("\"usage_analytics\"", "\"location_offers\"")
                      .getBytes(StandardCharsets.UTF_8))
              + "."
              + parts[2];
      for (String attack :
          List.of(
              sign(two, good), // another manager's key
              sign(key("k1"), good), // an unregistered key under a registered kid
              sign(one, with(good, "aud", "beta")), // for another tenant
              sign(one, with(good, "iat", Instant.now().minusSeconds(11 * 60).getEpochSecond())),
              sign(one, with(good, "iat", Instant.now().plusSeconds(6 * 60).getEpochSecond())),
              none,
              hs.serialize(),
              tampered)) {
        assertProblem(cm.post(ARTEFACTS, path, body(attack)), 400, "invalid-artefact");
      }
      assertProblem(
          cm.post(
              ARTEFACTS,
              path,
              body(sign(one, with(good, "purposes", List.of("account", "no_such_purpose"))))),
          400,
          "unknown-purpose");
      assertProblem(
          cmElsewhere.post(ARTEFACTS, path, body(signed)), 404, "not-found"); // beta has no cm-one
      assertThat(admin.get(ME, ME).status()).isEqualTo(403); // a principal's own route
      assertThat(admin.get(CONSENT, "/v1/subjects/alice/consents/account").status())
          .isEqualTo(404); // nothing was ever recorded
      assertThat(alice.get(ME, ME).json().get("consent_managers")).isEmpty();

      // a suspended manager is refused; resumed, the good artefact is recorded
      assertThat(dpo.post(SUSPEND, "/v1/consent-managers/cm-one/suspend", null).status())
          .isEqualTo(200);
      assertProblem(cm.post(ARTEFACTS, path, body(signed)), 403, "consent-manager-suspended");
      assertThat(dpo.post(RESUME, "/v1/consent-managers/cm-one/resume", null).status())
          .isEqualTo(200);
      Answer applied = cm.post(ARTEFACTS, path, body(signed));
      assertThat(applied.status()).as(applied.text()).isEqualTo(201);
      assertThat(applied.json().get("events")).hasSize(2);
      assertThat(applied.json().at("/events/0/method").asText())
          .isEqualToIgnoringCase("consent_manager");
      assertThat(applied.json().at("/events/0/consent_manager").asText()).isEqualTo("cm-one");
      String artefactId = applied.json().at("/artefact/id").asText();
      assertThat(applied.json().at("/events/1/artefact").asText()).isEqualTo(artefactId);
      // replayed: the same artefact again
      assertProblem(cm.post(ARTEFACTS, path, body(signed)), 409, "artefact-replayed");
      assertThat(
              admin
                  .get(CONSENT, "/v1/subjects/alice/consents/usage_analytics")
                  .json()
                  .get("state")
                  .asText())
          .isEqualTo("GIVEN");

      // the principal sees which manager acted for her: one audit entry for the read
      Answer mine = alice.get(ME, ME);
      assertThat(mine.json().at("/consent_managers/0/id").asText()).isEqualTo("cm-one");
      assertThat(mine.json().at("/consent_managers/0/registration_number").asText())
          .isEqualTo("CM/2026/0001");
      assertThat(mine.json().at("/consent_managers/0/artefacts/0/jws").asText()).isEqualTo(signed);
      server.services().audit.sync().join();
      JsonNode entries =
          admin
              .get("/v1/audit/events", "/v1/audit/events?subject=alice&limit=1000")
              .json()
              .get("entries");
      int forRead = 0;
      for (JsonNode entry : entries) {
        if (mine.requestId().equals(entry.path("request_id").asText())) {
          forRead++;
        }
      }
      assertThat(forRead).isEqualTo(1);
      // each purpose the artefact changed is an audit entry of its own, as any consent change
      int given = 0;
      for (JsonNode entry : entries) {
        if (entry.path("action").asText().equalsIgnoreCase("consent_given")) {
          given++;
        }
      }
      assertThat(given).isEqualTo(2);

      // a direct withdrawal goes back to the manager: its webhook and its pull endpoint
      Answer withdrawn =
          backend.post(
              ACTION,
              "/v1/subjects/alice/consents/usage_analytics/withdraw",
              "{\"method\":\"api\"}");
      assertThat(withdrawn.status()).as(withdrawn.text()).isEqualTo(201);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (received.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(received).hasSize(1);
      assertThat(received.get(0))
          .startsWith("t=")
          .contains("\"type\":\"consent_manager.change\"")
          .contains("\"subject\":\"alice\"")
          .contains("\"state\":\"WITHDRAWN\"");
      Answer pulled = cm.get(CHANGES, "/v1/consent-managers/cm-one/changes");
      assertThat(pulled.status()).as(pulled.text()).isEqualTo(200);
      assertThat(pulled.json().get("changes")).hasSize(1);
      assertThat(pulled.json().at("/changes/0/purpose").asText()).isEqualTo("usage_analytics");
      assertThat(pulled.json().at("/changes/0/state").asText()).isEqualTo("WITHDRAWN");
      String next = pulled.json().get("next_cursor").asText();
      assertThat(
              cm.get(CHANGES, "/v1/consent-managers/cm-one/changes?after=" + next)
                  .json()
                  .get("changes"))
          .isEmpty();
      // cm-two never acted for alice: nothing for it; and cm-one may not read cm-two's queue
      Client cmTwo = dpo.as(mint(dir, tenant, "cm-two", Scopes.CONSENT_MANAGERS_SUBMIT));
      assertThat(cmTwo.get(CHANGES, "/v1/consent-managers/cm-two/changes").json().get("changes"))
          .isEmpty();
      assertProblem(
          cm.get(CHANGES, "/v1/consent-managers/cm-two/changes"), 403, "not-this-consent-manager");
      assertProblem(
          cmTwo.get(CHANGES, "/v1/consent-managers/cm-one/changes"),
          403,
          "not-this-consent-manager");
      assertThat(admin.get(CHANGES, "/v1/consent-managers/cm-one/changes").status())
          .as("the fiduciary's admin may look at any of its managers' queues")
          .isEqualTo(200);

      // key rotation: the old key no longer verifies
      Answer rotated =
          dpo.call("PUT", KEYS, "/v1/consent-managers/cm-one/keys", "{\"jwks\":" + jwks(two) + "}");
      assertThat(rotated.status()).as(rotated.text()).isEqualTo(200);
      assertProblem(
          cm.post(
              ARTEFACTS,
              path,
              body(sign(one, claims("cm-one", tenant, "bob", "give", List.of("account"))))),
          400,
          "invalid-artefact");
      assertThat(
              cm.post(
                      ARTEFACTS,
                      path,
                      body(sign(two, claims("cm-one", tenant, "bob", "give", List.of("account")))))
                  .status())
          .isEqualTo(201);
      Answer removed = dpo.call("DELETE", ONE, "/v1/consent-managers/cm-two", null);
      assertThat(removed.json().get("status").asText()).isEqualTo("removed");
      assertProblem(dpo.get(ONE, "/v1/consent-managers/cm-two"), 404, "not-found");
    } finally {
      receiver.stop(0);
    }
  }
}
