package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.audit.ExportFormat;
import dev.privacykit.crypto.Keyring;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.policies.Regime;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Portability exports hold what the subject provided and nothing of another subject or tenant; host
 * contributors' sections appear in access and portability packages, and a failing one marks the
 * package incomplete instead of vanishing.
 */
public class SubjectPackagesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Found through ServiceLoader in {@link #serviceLoader_findsAContributor}. */
  public static final class Discovered implements SubjectDataContributor {
    @Override
    public String name() {
      return "discovered";
    }

    @Override
    public Contribution contribute(String tenant, String subject, RequestType type) {
      return Contribution.of(
          Contribution.Section.of("notes", List.of("text"), List.of(List.of("from " + type))));
    }
  }

  /** The host's orders: what the subject typed for portability, more for access. */
  static final class Orders implements SubjectDataContributor {
    @Override
    public String name() {
      return "orders";
    }

    @Override
    public Contribution contribute(String tenant, String subject, RequestType type) {
      List<List<String>> rows = List.of(List.of("o-1", subject + "'s address", "=1+1"));
      return type == RequestType.PORTABILITY
          ? Contribution.of(
              Contribution.Section.of("orders", List.of("id", "address", "note"), rows))
          : Contribution.of(
              Contribution.Section.of("orders", List.of("id", "address", "note"), rows),
              Contribution.Section.of("risk_scores", List.of("score"), List.of(List.of("0.7"))));
    }
  }

  record Fixture(
      ConsentLedger ledger, AuditLog audit, DataSubjectRequests requests, SubjectIdentifiers ids) {}

  private static void with(Database db, Consumer<DsrConfig> more, FixtureTest test)
      throws Exception {
    SubjectKeys keys = SubjectKeys.open(db, RootKeys.ephemeral());
    try (AuditLog audit =
            AuditLog.open(
                db,
                c ->
                    c.origin("t/audit")
                        .signer(CheckpointSigner.generate("t/audit"))
                        .subjectKeys(keys));
        ConsentLedger ledger =
            ConsentLedger.open(db, c -> c.policy(PolicyPacks.gdpr()).audit(audit))) {
      SubjectIdentifiers ids = SubjectIdentifiers.open(db, Keyring.inMemory(), keys, 1_000);
      DataSubjectRequests requests =
          DataSubjectRequests.open(
              db,
              c -> {
                c.audit(audit).ledger(ledger).subjectKeys(keys).identifiers(ids);
                more.accept(c);
              });
      test.run(new Fixture(ledger, audit, requests, ids));
    }
  }

  interface FixtureTest {
    void run(Fixture f) throws Exception;
  }

  private static String write(Fixture f, DataSubjectRequest r, ExportFormat format)
      throws Exception {
    StringWriter out = new StringWriter();
    f.requests().writeAccessPackage(r.id(), format, out);
    return out.toString();
  }

  @DatabaseTest
  void portability_holdsOnlyWhatTheSubjectProvided_andNothingOfOthers(Database db)
      throws Exception {
    String tenant = "t_" + UUID.randomUUID().toString().substring(0, 8);
    String alice = "subj_" + UUID.randomUUID();
    String bob = "subj_" + UUID.randomUUID();
    with(
        db,
        c -> {},
        f -> {
          f.ledger().give(ConsentChange.of(tenant, alice, "email_marketing", 2, "de"));
          f.ledger().withdraw(ConsentChange.of(tenant, alice, "email_marketing", 2, "de"));
          f.ledger().give(ConsentChange.of(tenant, bob, "targeted_advertising", 2, "en"));
          f.ledger().give(ConsentChange.of(tenant + "x", alice, "allergy_safety", 1, "en"));
          f.ids().link(tenant, alice, SubjectIdentifiers.Kind.EMAIL, "Alice@Example.com");
          f.ids().link(tenant, bob, SubjectIdentifiers.Kind.EMAIL, "bob@example.com");
          f.ids().link(tenant + "x", alice, SubjectIdentifiers.Kind.PHONE, "+49 30 1234567");
          DataSubjectRequest r =
              f.requests().submit(tenant, alice, RequestType.PORTABILITY, Regime.GDPR, true);

          String text = write(f, r, ExportFormat.JSON);
          JsonNode json = MAPPER.readTree(text);
          assertThat(json.get("format").asText()).isEqualTo("privacykit-portability/1");
          assertThat(json.get("subject").asText()).isEqualTo(alice);
          assertThat(json.get("complete").asBoolean()).isTrue();
          JsonNode choices = json.at("/provided/consent_choices");
          assertThat(choices.size()).isEqualTo(2);
          assertThat(choices.findValuesAsText("choice")).containsExactly("GIVEN", "WITHDRAWN");
          assertThat(choices.findValuesAsText("purpose")).containsOnly("email_marketing");
          assertThat(choices.get(0).get("language").asText()).isEqualTo("de");
          assertThat(choices.get(0).get("notice_version").asText()).isEqualTo("2");
          assertThat(json.at("/provided/identifiers").toString())
              .isEqualTo("[{\"kind\":\"email\",\"value\":\"alice@example.com\"}]");
          assertThat(json.get("host_data").size()).isZero();
          // PrivacyKit's own records are the access package's, not the export's
          assertThat(json.has("access_log")).isFalse();
          assertThat(text)
              .doesNotContain("DSR_RECEIVED")
              .doesNotContain("checkpoint")
              .doesNotContain("user_agent")
              .doesNotContain(bob)
              .doesNotContain("bob@example.com")
              .doesNotContain("targeted_advertising")
              .doesNotContain("allergy_safety")
              .doesNotContain("1234567");

          String csv = write(f, r, ExportFormat.CSV);
          assertThat(csv)
              .startsWith(
                  "source,section,record,field,value\r\n"
                      + "privacykit,export,1,format,privacykit-portability/1\r\n"
                      + "privacykit,export,1,request_id,"
                      + r.id()
                      + "\r\n")
              .contains("privacykit,export,1,complete,true\r\n")
              .contains("privacykit,consent_choices,1,purpose,email_marketing\r\n")
              .contains("privacykit,consent_choices,2,choice,WITHDRAWN\r\n")
              .contains("privacykit,identifiers,1,value,alice@example.com\r\n")
              .doesNotContain(bob)
              .doesNotContain("allergy_safety")
              .doesNotContain("DSR_RECEIVED");
        });
  }

  @DatabaseTest
  void contributors_addTheirSections_perRequestType(Database db) throws Exception {
    String tenant = "t_" + UUID.randomUUID().toString().substring(0, 8);
    String alice = "subj_" + UUID.randomUUID();
    with(
        db,
        c -> c.contributor(new Orders()),
        f -> {
          DataSubjectRequest portability =
              f.requests().submit(tenant, alice, RequestType.PORTABILITY, Regime.GDPR, true);
          JsonNode json = MAPPER.readTree(write(f, portability, ExportFormat.JSON));
          assertThat(json.get("complete").asBoolean()).isTrue();
          assertThat(json.at("/host_data/0/contributor").asText()).isEqualTo("orders");
          assertThat(json.at("/host_data/0/status").asText()).isEqualTo("included");
          assertThat(json.at("/host_data/0/sections").size()).isEqualTo(1);
          assertThat(json.at("/host_data/0/sections/0/rows/0").toString())
              .isEqualTo(
                  "{\"id\":\"o-1\",\"address\":\"" + alice + "'s address\",\"note\":\"=1+1\"}");
          assertThat(write(f, portability, ExportFormat.CSV))
              .contains("host:orders,orders,1,address," + alice + "'s address\r\n")
              .contains("host:orders,orders,1,note,'=1+1\r\n"); // no formula in a spreadsheet

          DataSubjectRequest access =
              f.requests().submit(tenant, alice, RequestType.ACCESS, Regime.GDPR, true);
          JsonNode pkg = MAPPER.readTree(write(f, access, ExportFormat.JSON));
          assertThat(pkg.get("complete").asBoolean()).isTrue();
          assertThat(pkg.at("/host_data/0/sections").findValuesAsText("name"))
              .containsExactly("orders", "risk_scores");
          assertThat(pkg.at("/access_log/entries").size()).isPositive();
          assertThat(write(f, access, ExportFormat.CSV))
              .contains(
                  "\r\nhost_data,,,orders/risk_scores,,,,\"{\"\"score\"\":\"\"0.7\"\"}\"\r\n");
        });
  }

  @DatabaseTest
  void aFailingContributor_marksThePackageIncomplete_withoutItsMessage(Database db)
      throws Exception {
    String tenant = "t_" + UUID.randomUUID().toString().substring(0, 8);
    String alice = "subj_" + UUID.randomUUID();
    SubjectDataContributor throwing =
        new SubjectDataContributor() {
          @Override
          public String name() {
            return "crm";
          }

          @Override
          public Contribution contribute(String t, String s, RequestType type) {
            throw new IllegalStateException("connection to crm failed for alice@example.com");
          }
        };
    SubjectDataContributor slow =
        new SubjectDataContributor() {
          @Override
          public String name() {
            return "warehouse";
          }

          @Override
          public Contribution contribute(String t, String s, RequestType type) {
            throw new SubjectDataContributor.Unavailable("timeout");
          }
        };
    SubjectDataContributor silent =
        new SubjectDataContributor() {
          @Override
          public String name() {
            return "silent";
          }

          @Override
          public Contribution contribute(String t, String s, RequestType type) {
            return null;
          }
        };
    with(
        db,
        c ->
            c.contributor(new Orders()).contributor(throwing).contributor(slow).contributor(silent),
        f -> {
          for (RequestType type : List.of(RequestType.ACCESS, RequestType.PORTABILITY)) {
            DataSubjectRequest r = f.requests().submit(tenant, alice, type, Regime.GDPR, true);
            String text = write(f, r, ExportFormat.JSON);
            JsonNode json = MAPPER.readTree(text);
            assertThat(json.get("complete").asBoolean()).as(type.name()).isFalse();
            assertThat(json.get("host_data").findValuesAsText("status"))
                .containsExactly("included", "missing", "missing", "missing");
            assertThat(json.get("host_data").findValuesAsText("reason"))
                .containsExactly("failed", "timeout", "failed");
            assertThat(text).doesNotContain("alice@example.com").doesNotContain("connection");
            String csv = write(f, r, ExportFormat.CSV);
            assertThat(csv).doesNotContain("alice@example.com");
            if (type == RequestType.ACCESS) {
              assertThat(csv).contains("\r\nhost_data_missing,,,crm,,,,failed\r\n");
            } else {
              assertThat(csv)
                  .contains("privacykit,export,1,complete,false\r\n")
                  .contains("host:warehouse,missing,1,reason,timeout\r\n");
            }
          }
        });
  }

  @Test
  void serviceLoader_findsAContributor(@TempDir Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve(SubjectDataContributor.class.getName()),
        Discovered.class.getName() + "\n");
    DsrConfig config = new DsrConfig();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      config.discoverContributors(loader);
    }
    assertThat(config.contributors)
        .extracting(SubjectDataContributor::name)
        .containsExactly("discovered");
    assertThat(
            Contributions.gather(config.contributors, "t", "s", RequestType.ACCESS)
                .get(0)
                .contribution()
                .sections()
                .get(0)
                .rows())
        .containsExactly(List.of("from ACCESS"));
  }

  @Test
  void badContributorsAndSections_areRefusedWhenMade() {
    DsrConfig config = new DsrConfig().contributor(new Orders());
    assertThatThrownBy(() -> config.contributor(new Orders()))
        .hasMessage("a contributor named 'orders' is already registered");
    assertThatThrownBy(() -> Contribution.Section.of("Orders", List.of("id"), List.of()))
        .hasMessage("section name must be 1 to 64 of a-z 0-9 _ -, starting with a letter");
    assertThatThrownBy(() -> Contribution.Section.of("orders", List.of("id", "id"), List.of()))
        .hasMessage("section 'orders' needs at least one column and unique column names");
    assertThatThrownBy(
            () -> Contribution.Section.of("orders", List.of("id", "total"), List.of(List.of("1"))))
        .hasMessage("section 'orders' row 0 must have 2 cells, one per column");
    Contribution.Section one = Contribution.Section.of("a", List.of("x"), List.of());
    assertThatThrownBy(() -> Contribution.of(one, one)).hasMessage("section 'a' appears twice");
    assertThat(new SubjectDataContributor.Unavailable("Timeout: alice@example.com").reason())
        .isEqualTo("failed");
  }
}
