package dev.privacykit.server.http;

import static dev.privacykit.server.http.ServiceApiTest.mint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.Setting;
import dev.privacykit.server.http.ServiceApiTest.Answer;
import dev.privacykit.server.http.ServiceApiTest.Client;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * Children and persons with a lawful guardian (DPDP s.9, Rules 10-11) over real HTTP on the DPDP
 * pack, H2 and PostgreSQL, every JSON answer checked against the OpenAPI document: the fiduciary
 * marks a child and links her verified parent; the parent consents for her with her own token; the
 * check denies until then, and denies tracking for her whatever anyone consents. Tried as an
 * attacker: the child asserting guardian through /v1/me, a backend naming an unverified guardian, a
 * stranger's token on the ward's routes, another tenant's parent, an identity number as evidence.
 * Every refusal stores nothing.
 */
class GuardianshipApiTest {
  @TempDir static Path dir;

  private static final String MARK = "/v1/subjects/{subject}/guardianship";
  private static final String CLEAR = "/v1/subjects/{subject}/guardianship/clear";
  private static final String LINK = "/v1/subjects/{subject}/guardians";
  private static final String REVOKE = "/v1/subjects/{subject}/guardians/{id}/revoke";
  private static final String CHANGE = "/v1/subjects/{subject}/consents/{purpose}/{action}";
  private static final String MY_CHANGE = "/v1/me/consents/{purpose}/{action}";
  private static final String WARDS = "/v1/me/wards";
  private static final String WARD_CONSENTS = "/v1/me/wards/{ward}/consents";
  private static final String WARD_CHANGE = "/v1/me/wards/{ward}/consents/{purpose}/{action}";
  private static final String CHECK = "/v1/consents/check";
  private static final String GIVE = "{\"notice_version\":2,\"language\":\"hi\"}";

  private static void assertProblem(Answer answer, int status, String type, String pointer) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    assertThat(answer.json().get("type").asText()).endsWith("/" + type);
    if (pointer != null) {
      assertThat(answer.json().get("pointer").asText()).isEqualTo(pointer);
    }
  }

  private static String reason(Client backend, String subject, String purpose) throws Exception {
    Answer answer =
        backend.post(
            CHECK, CHECK, "{\"subject\":\"" + subject + "\",\"purposes\":[\"" + purpose + "\"]}");
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return answer.json().get("results").get(purpose).get("reason").asText();
  }

  private static int events(Client backend, String subject, String purpose) throws Exception {
    String path = "/v1/subjects/" + subject + "/consents/" + purpose + "/history";
    return backend
        .get("/v1/subjects/{subject}/consents/{purpose}/history", path)
        .json()
        .get("events")
        .size();
  }

  @DatabaseTest
  void parentConsentsForHerChild_nobodyElseCan_andTheChildIsNeverTracked(Database db)
      throws Exception {
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
      String tenant = "g-" + db.dialect().getClass().getSimpleName().toLowerCase();
      Client fiduciary = new Client(server, contract, mint(dir, tenant, "dpo", Scopes.GUARDIANS));
      Client backend = fiduciary.as(mint(dir, tenant, "shop", Scopes.ADMIN));
      Client kid = fiduciary.as(mint(dir, tenant, "kid", Scopes.CONSENTS_SELF));
      Client mum = fiduciary.as(mint(dir, tenant, "mum", Scopes.CONSENTS_SELF));
      Client stranger = fiduciary.as(mint(dir, tenant, "stranger", Scopes.CONSENTS_SELF));
      Client mumElsewhere = fiduciary.as(mint(dir, "other-" + tenant, "mum", Scopes.ADMIN));
      Client writer = fiduciary.as(mint(dir, tenant, "shop", Scopes.CONSENTS_WRITE));

      // a consent-writing token may not mark anyone
      assertThat(writer.post(MARK, "/v1/subjects/kid/guardianship", "{}").status()).isEqualTo(403);
      // bad input names the field and marks nothing
      assertProblem(
          fiduciary.post(
              MARK,
              "/v1/subjects/kid/guardianship",
              "{\"kind\":\"child\",\"source\":\"age_check\",\"born_on\":\"2001-01-01\"}"),
          400,
          "invalid-field",
          "/born_on");
      assertProblem(
          fiduciary.post(
              MARK,
              "/v1/subjects/kid/guardianship",
              "{\"kind\":\"child\",\"source\":\"age_check\",\"born_on\":\"01/02/2015\"}"),
          400,
          "invalid-request",
          "/born_on");
      assertProblem(
          fiduciary.post(
              MARK,
              "/v1/subjects/kid/guardianship",
              "{\"kind\":\"minor\",\"source\":\"age_check\"}"),
          400,
          "invalid-request",
          "/kind");
      assertThat(fiduciary.get(MARK, "/v1/subjects/kid/guardianship").json().get("markings").size())
          .isZero();

      // before she is marked, the child's own consent counts
      assertThat(kid.post(MY_CHANGE, "/v1/me/consents/account/give", GIVE).status()).isEqualTo(201);
      assertThat(reason(backend, "kid", "account")).isEqualTo("consent_valid");

      LocalDate bornOn = LocalDate.now(ZoneOffset.UTC).minusYears(11);
      Answer marked =
          fiduciary.post(
              MARK,
              "/v1/subjects/kid/guardianship",
              "{\"kind\":\"child\",\"source\":\"declared_by_principal\","
                  + "\"reference\":\"age-gate-2026-12\",\"born_on\":\""
                  + bornOn
                  + "\"}");
      assertThat(marked.status()).as(marked.text()).isEqualTo(201);
      assertThat(marked.json().get("until").asText()).isEqualTo(bornOn.plusYears(18).toString());
      assertThat(marked.text()).doesNotContain(bornOn.toString());
      assertThat(reason(backend, "kid", "account")).isEqualTo("guardian_consent_required");

      // the child cannot consent herself, nor claim to be her own guardian through /v1/me
      assertProblem(
          kid.post(MY_CHANGE, "/v1/me/consents/account/give", GIVE),
          403,
          "guardian-consent-required",
          "/acting_party");
      assertProblem(
          kid.post(
              MY_CHANGE,
              "/v1/me/consents/account/give",
              "{\"notice_version\":2,\"language\":\"hi\",\"acting_party\":\"guardian\"}"),
          403,
          "guardian-not-verified",
          "/acting_party");
      assertProblem(
          kid.post(
              MY_CHANGE,
              "/v1/me/consents/account/give",
              "{\"notice_version\":2,\"language\":\"hi\",\"guardian\":\"kid\"}"),
          400,
          "invalid-request",
          null);
      // a backend naming a guardian nobody verified is refused too
      assertProblem(
          backend.post(
              CHANGE,
              "/v1/subjects/kid/consents/account/give",
              "{\"notice_version\":2,\"language\":\"hi\",\"acting_party\":\"guardian\","
                  + "\"guardian\":\"mum\"}"),
          403,
          "guardian-not-verified",
          "/acting_party");
      assertThat(events(backend, "kid", "account")).isEqualTo(1);

      // the fiduciary links the parent it verified; an identity number is never kept
      String body =
          "{\"guardian\":\"mum\",\"relation\":\"parent\",\"verification\":{"
              + "\"method\":\"virtual_token\",\"reference\":\"%s\",\"issuer\":\"digilocker\"}}";
      assertProblem(
          fiduciary.post(LINK, "/v1/subjects/kid/guardians", body.formatted("2345 6789 0123")),
          400,
          "invalid-field",
          "/verification/reference");
      assertProblem(
          fiduciary.post(
              LINK,
              "/v1/subjects/kid/guardians",
              body.formatted("dl-81f2").replace("virtual_token", "court_order")),
          400,
          "invalid-field",
          "/verification/method");
      Answer link =
          fiduciary.post(LINK, "/v1/subjects/kid/guardians", body.formatted("dl-tok-81f2"));
      assertThat(link.status()).as(link.text()).isEqualTo(201);
      assertThat(link.json().get("verification").get("verified_by").asText()).isEqualTo("dpo");
      String linkId = link.json().get("id").asText();

      // the parent sees her ward and consents for her, with her own token
      Answer wards = mum.get(WARDS, WARDS);
      assertThat(wards.json().get("wards").get(0).get("ward").asText()).isEqualTo("kid");
      assertThat(stranger.get(WARDS, WARDS).json().get("wards").size()).isZero();
      Answer given = mum.post(WARD_CHANGE, "/v1/me/wards/kid/consents/account/give", GIVE);
      assertThat(given.status()).as(given.text()).isEqualTo(201);
      assertThat(given.json().get("acting_party").asText()).isEqualTo("guardian");
      assertThat(given.json().get("guardian").asText()).isEqualTo("mum");
      assertThat(reason(backend, "kid", "account")).isEqualTo("consent_valid");
      assertThat(mum.get(WARD_CONSENTS, "/v1/me/wards/kid/consents").status()).isEqualTo(200);

      // strangers, the child herself, and the same parent in another tenant are refused alike
      for (Answer refused :
          new Answer[] {
            stranger.post(WARD_CHANGE, "/v1/me/wards/kid/consents/account/withdraw", null),
            stranger.get(WARD_CONSENTS, "/v1/me/wards/kid/consents"),
            stranger.get(WARD_CONSENTS, "/v1/me/wards/nobody/consents"),
            kid.post(WARD_CHANGE, "/v1/me/wards/kid/consents/account/give", GIVE),
            mumElsewhere.post(
                CHANGE,
                "/v1/subjects/kid/consents/account/give",
                "{\"notice_version\":2,\"language\":\"hi\",\"acting_party\":\"guardian\","
                    + "\"guardian\":\"mum\"}")
          }) {
        assertProblem(refused, 403, "guardian-not-verified", "/acting_party");
      }
      assertThat(events(backend, "kid", "account")).isEqualTo(2);

      // tracking and targeted advertising: refused for a child, whoever consents
      assertProblem(
          mum.post(WARD_CHANGE, "/v1/me/wards/kid/consents/location_offers/give", GIVE),
          403,
          "child-protected",
          "/purpose");
      assertThat(reason(backend, "kid", "location_offers"))
          .isEqualTo("child_tracking_or_advertising");
      assertThat(reason(backend, "kid", "age_assurance")).isEqualTo("lawful_basis");

      // the middleware's lookup sees the guardianship too
      Answer current =
          backend.get(
              "/v1/subjects/{subject}/consents/{purpose}",
              "/v1/subjects/kid/consents/usage_analytics");
      assertThat(current.status()).as(current.text()).isEqualTo(200);
      assertThat(current.json().get("guardianship").get("kind").asText()).isEqualTo("child");

      // malformed and incomplete bodies are refused and change nothing
      assertProblem(
          fiduciary.post(LINK, "/v1/subjects/kid/guardians", "{\"guardian\":\"dad\","),
          400,
          "invalid-request",
          "/");
      assertProblem(
          fiduciary.post(
              LINK, "/v1/subjects/kid/guardians", "{\"guardian\":\"dad\",\"relation\":\"parent\"}"),
          400,
          "invalid-request",
          "/verification");
      assertProblem(
          fiduciary.post(
              REVOKE, "/v1/subjects/kid/guardians/no-such-link/revoke", "{\"reason\":\"x\"}"),
          404,
          "not-found",
          null);
      assertProblem(
          fiduciary.post(
              REVOKE,
              "/v1/subjects/someone-else/guardians/" + linkId + "/revoke",
              "{\"reason\":\"x\"}"),
          404,
          "not-found",
          null);
      assertThat(fiduciary.get(MARK, "/v1/subjects/kid/guardianship").json().get("guardians"))
          .hasSize(1);

      // revoking the link stops the parent's consent counting, at once
      assertThat(
              fiduciary
                  .post(
                      REVOKE,
                      "/v1/subjects/kid/guardians/" + linkId + "/revoke",
                      "{\"reason\":\"custody order\"}")
                  .status())
          .isEqualTo(200);
      assertThat(reason(backend, "kid", "account")).isEqualTo("guardian_consent_required");
      assertProblem(
          fiduciary.post(
              REVOKE, "/v1/subjects/kid/guardians/" + linkId + "/revoke", "{\"reason\":\"again\"}"),
          409,
          "invalid-transition",
          null);
      assertProblem(
          mum.get(WARD_CONSENTS, "/v1/me/wards/kid/consents"),
          403,
          "guardian-not-verified",
          "/acting_party");

      // the marking is cleared with a reason and kept as history
      assertThat(
              fiduciary
                  .post(CLEAR, "/v1/subjects/kid/guardianship/clear", "{\"reason\":\"adult\"}")
                  .status())
          .isEqualTo(200);
      Answer read = fiduciary.get(MARK, "/v1/subjects/kid/guardianship");
      assertThat(read.json().get("marking").isNull()).isTrue();
      assertThat(read.json().get("markings").size()).isEqualTo(1);
      assertThat(read.json().get("guardians").get(0).get("active").asBoolean()).isFalse();

      // every guardianship change is in the audit log, under the child
      server.services().audit.sync().join();
      Answer audit =
          backend.get(
              "/v1/audit/events",
              "/v1/audit/events?subject=kid&action=guardianship_updated&limit=100");
      assertThat(audit.json().get("entries").findValuesAsText("actor"))
          .containsExactly("dpo", "dpo", "dpo", "dpo");
      // and the parent's reads and changes of her ward's consents are recorded under the ward
      Answer byParent =
          backend.get("/v1/audit/events", "/v1/audit/events?subject=kid&actor=mum&limit=100");
      assertThat(byParent.json().get("entries").findValuesAsText("actor_role"))
          .contains("guardian:" + linkId);
    }
  }
}
