package dev.privacykit.server.http;

import static dev.privacykit.server.http.ServiceApiTest.mint;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.http.ServiceApiTest.Answer;
import dev.privacykit.server.http.ServiceApiTest.Client;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nomination register (DPDP Act s.14) over real HTTP, on H2 and PostgreSQL, every JSON answer
 * checked against the OpenAPI document: a principal names and revokes her nominee with her own
 * token; the fiduciary records and rescinds her incapacity or death; the nominee files and follows
 * requests for her only while an event is in force. Tried as an attacker: another principal's
 * nominee, a revoked nominee, a nominee named after the death, a nominee after the event is
 * rescinded, the same references in another tenant, the principal herself, a backend token. Every
 * refusal is the same 403 {@code nomination-not-in-force}, stores nothing, and is in the audit log.
 */
class NominationsApiTest {
  @TempDir static Path dir;

  private static final String MINE = "/v1/me/nominees";
  private static final String REVOKE = "/v1/me/nominees/{id}/revoke";
  private static final String ACT = "/v1/me/principals/{principal}/requests";
  private static final String REGISTER = "/v1/subjects/{subject}/nominees";
  private static final String EVENTS = "/v1/subjects/{subject}/nomination-events";
  private static final String RESCIND = "/v1/subjects/{subject}/nomination-events/{id}/rescind";
  private static final String NOT_IN_FORCE =
      "https://privacykit.dev/problems/nomination-not-in-force";

  private static void assertProblem(Answer answer, int status, String type, String pointer) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    assertThat(answer.json().get("type").asText()).endsWith("/" + type);
    if (pointer != null) {
      assertThat(answer.json().get("pointer").asText()).isEqualTo(pointer);
    }
  }

  /** The nominee's two calls for {@code principal} are both refused the same way. */
  private static void assertRefused(Client nominee, String principal) throws Exception {
    String path = "/v1/me/principals/" + principal + "/requests";
    for (Answer answer :
        List.of(
            nominee.get(ACT, path),
            nominee.post(ACT, path, "{\"type\":\"erasure\"}"),
            nominee.post(ACT, path, "{\"type\":\"not-a-type\",\"extra\":1}"))) {
      assertThat(answer.status()).as(answer.text()).isEqualTo(403);
      assertThat(answer.json().get("type").asText()).isEqualTo(NOT_IN_FORCE);
      assertThat(answer.json().get("detail").asText())
          .isEqualTo("you may not act for this data principal: no nomination of yours is in force");
    }
  }

  private static String event(String kind, Instant occurred) {
    return "{\"kind\":\""
        + kind
        + "\",\"occurred_at\":\""
        + occurred
        + "\",\"evidence_reference\":\"cert-2026-0042\",\"verified_by\":\"dpo-ravi\"}";
  }

  @DatabaseTest
  void nominees_actOnlyWhileADeathOrIncapacityIsInForce_overHttp(Database db) throws Exception {
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), db)) {
      OpenApiContract contract = new OpenApiContract(OpenApi.document());
      assertThat(server.routes()).isEqualTo(contract.operations());
      Client fiduciary = new Client(server, contract, mint(dir, "acme", "shop", Scopes.REQUESTS));
      Client admin = fiduciary.as(mint(dir, "acme", "shop", Scopes.ADMIN));
      Client elsewhere = fiduciary.as(mint(dir, "beta", "shop", Scopes.REQUESTS));
      Client alice = fiduciary.as(mint(dir, "acme", "alice", Scopes.REQUESTS_SELF));
      Client carol = fiduciary.as(mint(dir, "acme", "carol", Scopes.REQUESTS_SELF));
      Client bob = fiduciary.as(mint(dir, "acme", "nom_bob", Scopes.REQUESTS_SELF));
      Client dave = fiduciary.as(mint(dir, "acme", "nom_dave", Scopes.REQUESTS_SELF));
      Client bobElsewhere = fiduciary.as(mint(dir, "beta", "nom_bob", Scopes.REQUESTS_SELF));

      // the principal names her nominee; bad input names the field and stores nothing
      assertProblem(
          alice.post(MINE, MINE, "{\"nominee\":\"alice\",\"relation\":\"spouse\"}"),
          400,
          "invalid-field",
          "/nominee");
      assertProblem(
          alice.post(MINE, MINE, "{\"nominee\":\"nom_bob\",\"relation\":\"uncle\"}"),
          400,
          "invalid-request",
          "/relation");
      assertProblem(
          alice.post(MINE, MINE, "{\"nominee\":\"nom_bob\",\"relation\":null}"),
          400,
          "invalid-request",
          "/relation");
      assertProblem(
          alice.post(
              MINE,
              MINE,
              "{\"nominee\":\"nom_bob\",\"relation\":\"spouse\","
                  + "\"contact_reference\":\"bob@example.com\"}"),
          400,
          "invalid-field",
          "/contact_reference");
      assertProblem(
          alice.post(
              MINE,
              MINE,
              "{\"nominee\":\"nom_bob\",\"relation\":\"spouse\",\"evidence\":{\"collected_at\":\""
                  + Instant.now().plus(Duration.ofHours(1))
                  + "\"}}"),
          400,
          "invalid-field",
          "/evidence/collected_at");
      assertProblem(
          alice.post(MINE, MINE, "{\"nominee\":\"nom_bob\",\"relation\":\"spouse\",\"sub\":\"x\"}"),
          400,
          "invalid-request",
          "/sub");
      assertThat(alice.get(MINE, MINE).json().get("nominees").size()).isZero();
      Answer named =
          alice.post(
              MINE,
              MINE,
              "{\"nominee\":\"nom_bob\",\"relation\":\"spouse\",\"contact_reference\":\"crm:c-77\","
                  + "\"evidence\":{\"channel\":\"web\",\"ui_version\":\"nominee-form-3\"}}");
      assertThat(named.status()).as(named.text()).isEqualTo(201);
      assertThat(named.json().get("status").asText()).isEqualTo("active");
      assertThat(named.json().get("principal").asText()).isEqualTo("alice");
      assertThat(named.json().at("/evidence/ui_version").asText()).isEqualTo("nominee-form-3");
      String bobsNomination = named.json().get("id").asText();
      assertProblem(
          alice.post(MINE, MINE, "{\"nominee\":\"nom_bob\",\"relation\":\"spouse\"}"),
          409,
          "conflict",
          "/nominee");
      assertProblem(
          alice.post(MINE, MINE, "{\"nominee\":\"nom_erin\",\"relation\":\"child\"}"),
          409,
          "limit-reached",
          null);
      assertThat(
              carol.post(MINE, MINE, "{\"nominee\":\"nom_dave\",\"relation\":\"child\"}").status())
          .isEqualTo(201);
      assertThat(admin.get(MINE, MINE).status()).isEqualTo(403);

      // a nomination alone gives no power
      assertRefused(bob, "alice");

      // the fiduciary records the incapacity; bad input and the wrong token store nothing
      Instant occurred = Instant.now();
      assertProblem(
          fiduciary.post(EVENTS, "/v1/subjects/alice/nomination-events", "{\"kind\":\"coma\"}"),
          400,
          "invalid-request",
          "/kind");
      assertProblem(
          fiduciary.post(
              EVENTS,
              "/v1/subjects/alice/nomination-events",
              event("incapacity", occurred.plus(Duration.ofHours(1)))),
          400,
          "invalid-field",
          "/occurred_at");
      assertProblem(
          fiduciary.post(
              EVENTS,
              "/v1/subjects/alice/nomination-events",
              event("incapacity", occurred).replace(",\"verified_by\":\"dpo-ravi\"", "")),
          400,
          "invalid-request",
          "/verified_by");
      assertProblem(
          alice.post(EVENTS, "/v1/subjects/alice/nomination-events", event("death", occurred)),
          403,
          "insufficient-scope",
          null);
      assertThat(fiduciary.get(REGISTER, "/v1/subjects/alice/nominees").json().get("events"))
          .isEmpty();
      Answer incapacity =
          fiduciary.post(
              EVENTS, "/v1/subjects/alice/nomination-events", event("incapacity", occurred));
      assertThat(incapacity.status()).as(incapacity.text()).isEqualTo(201);
      assertThat(incapacity.json().get("in_force").asBoolean()).isTrue();
      String incapacityId = incapacity.json().get("id").asText();

      // now the nominee acts for her: files and follows a request, filed by nominee
      Answer filed = bob.post(ACT, "/v1/me/principals/alice/requests", "{\"type\":\"access\"}");
      assertThat(filed.status()).as(filed.text()).isEqualTo(201);
      assertThat(filed.json().get("subject").asText()).isEqualTo("alice");
      assertThat(filed.json().get("filed_by").asText()).isEqualTo("nominee");
      assertThat(filed.json().get("status").asText()).isEqualTo("open");
      String accessId = filed.json().get("id").asText();
      assertProblem(
          bob.post(ACT, "/v1/me/principals/alice/requests", "{\"type\":\"sale\"}"),
          400,
          "invalid-request",
          "/type");
      JsonNode followed = bob.get(ACT, "/v1/me/principals/alice/requests").json();
      assertThat(followed.get("requests").findValuesAsText("id")).containsExactly(accessId);
      assertThat(alice.get("/v1/me/requests", "/v1/me/requests").json().get("requests")).hasSize(1);

      // attackers get one answer, whoever they are: another principal's nominee, a nominee
      // trying another principal, the same references in another tenant, the principal herself
      assertRefused(dave, "alice");
      assertRefused(bob, "carol");
      assertRefused(bob, "mallory");
      assertRefused(bobElsewhere, "alice");
      assertRefused(alice, "alice");
      assertProblem(
          admin.get(ACT, "/v1/me/principals/alice/requests"), 403, "insufficient-scope", null);
      assertThat(alice.get("/v1/me/requests", "/v1/me/requests").json().get("requests")).hasSize(1);
      assertThat(carol.get("/v1/me/requests", "/v1/me/requests").json().get("requests")).isEmpty();

      // the fiduciary reads the register with its history; another tenant sees nothing
      JsonNode register = fiduciary.get(REGISTER, "/v1/subjects/alice/nominees").json();
      assertThat(register.get("nominees").findValuesAsText("id")).containsExactly(bobsNomination);
      assertThat(register.get("history").findValuesAsText("step"))
          .containsExactly("add", "record-incapacity", "file");
      assertThat(register.get("history").findValuesAsText("actor"))
          .containsExactly("alice", "dpo-ravi", "nom_bob");
      JsonNode theirs = elsewhere.get(REGISTER, "/v1/subjects/alice/nominees").json();
      assertThat(theirs.get("nominees")).isEmpty();
      assertThat(theirs.get("events")).isEmpty();
      assertThat(alice.get(MINE, MINE).json().get("events").findValuesAsText("kind"))
          .containsExactly("incapacity");

      // rescinded in error: the power ends at once
      String rescind = "/v1/subjects/alice/nomination-events/" + incapacityId + "/rescind";
      assertProblem(fiduciary.post(RESCIND, rescind, "{}"), 400, "invalid-request", "/reason");
      assertProblem(elsewhere.post(RESCIND, rescind, "{\"reason\":\"x\"}"), 404, "not-found", null);
      assertProblem(
          fiduciary.post(
              RESCIND,
              "/v1/subjects/carol/nomination-events/" + incapacityId + "/rescind",
              "{\"reason\":\"x\"}"),
          404,
          "not-found",
          null);
      Answer rescinded = fiduciary.post(RESCIND, rescind, "{\"reason\":\"wrong principal\"}");
      assertThat(rescinded.status()).isEqualTo(200);
      assertThat(rescinded.json().get("in_force").asBoolean()).isFalse();
      assertThat(rescinded.json().get("rescinded_by").asText()).isEqualTo("shop");
      assertRefused(bob, "alice");
      assertProblem(
          fiduciary.post(RESCIND, rescind, "{\"reason\":\"again\"}"),
          409,
          "invalid-transition",
          null);

      // a death: the nominee acts again until the principal's revocation (made before she died,
      // say, and recorded late) ends her nomination for good
      Answer death =
          fiduciary.post(
              EVENTS, "/v1/subjects/alice/nomination-events", event("death", Instant.now()));
      assertThat(death.status()).isEqualTo(201);
      assertProblem(
          fiduciary.post(
              EVENTS, "/v1/subjects/alice/nomination-events", event("incapacity", occurred)),
          409,
          "invalid-transition",
          null);
      assertThat(bob.get(ACT, "/v1/me/principals/alice/requests").status()).isEqualTo(200);
      String revoke = "/v1/me/nominees/" + bobsNomination + "/revoke";
      assertProblem(carol.post(REVOKE, revoke, null), 404, "not-found", null);
      Answer revoked = alice.post(REVOKE, revoke, "{\"reason\":\"we separated\"}");
      assertThat(revoked.status()).as(revoked.text()).isEqualTo(200);
      assertThat(revoked.json().get("status").asText()).isEqualTo("revoked");
      assertProblem(alice.post(REVOKE, revoke, null), 409, "invalid-transition", null);
      assertRefused(bob, "alice");

      // named again after the death (a stolen token, say): still no power
      assertThat(
              alice.post(MINE, MINE, "{\"nominee\":\"nom_bob\",\"relation\":\"spouse\"}").status())
          .isEqualTo(201);
      assertRefused(bob, "alice");
      assertThat(alice.get("/v1/me/requests", "/v1/me/requests").json().get("requests")).hasSize(1);

      // every change is an audit entry naming alice; every refused try is one too
      server.services().audit.sync().join();
      JsonNode changes =
          admin
              .get(
                  "/v1/audit/events",
                  "/v1/audit/events?subject=alice&action=nomination_updated&limit=100")
              .json()
              .get("entries");
      assertThat(changes.findValuesAsText("actor"))
          .containsExactly("alice", "dpo-ravi", "nom_bob", "shop", "dpo-ravi", "alice", "alice");
      JsonNode refusals =
          admin
              .get("/v1/audit/events", "/v1/audit/events?subject=alice&actor=nom_dave&limit=100")
              .json()
              .get("entries");
      assertThat(refusals.findValuesAsText("outcome")).hasSize(3).containsOnly("denied");
    }
  }
}
