package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditQuery;
import dev.privacykit.audit.AuditRecord;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.audit.Outcome;
import dev.privacykit.audit.Verification;
import dev.privacykit.crypto.Keyring;
import dev.privacykit.policies.Regime;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The breach register on H2 and PostgreSQL, against a real audit log and real webhooks. */
class IncidentsTest {
  private static String tenant() {
    return "t_" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static AuditLog audit(Database db) {
    return AuditLog.open(db, c -> c.origin("t/audit").signer(CheckpointSigner.generate("t/audit")));
  }

  private static Incidents incidents(
      Database db, AuditLog audit, MutableClock clock, Consumer<IncidentsConfig> more) {
    return Incidents.open(
        db,
        c -> {
          c.audit(audit).clock(clock);
          more.accept(c);
        });
  }

  private static IncidentDetails details() {
    return new IncidentDetails(
        "Backup bucket readable by anyone",
        List.of("user.contact.email"),
        1200L,
        5400L,
        "phishing of the customers concerned",
        "bucket made private; keys rotated",
        "DPO, dpo@example.com",
        null,
        "eu-west-1 backups",
        "a deploy script reset the bucket policy",
        null,
        "policy checked in CI",
        "beware of e-mails asking for passwords");
  }

  @DatabaseTest
  void clocks_runFromDetection_exactly_andStepsStopThem(Database db) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    MutableClock clock = new MutableClock(now);
    try (AuditLog audit = audit(db)) {
      Incidents incidents = incidents(db, audit, clock, c -> {});
      String tenant = tenant();
      Instant detected = now.minus(Duration.ofHours(1));
      Incident gdpr = incidents.record(tenant, Regime.GDPR, detected, details());
      assertThat(gdpr.status()).isEqualTo(IncidentStatus.OPEN);
      assertThat(gdpr.detectedAt()).isEqualTo(detected);
      assertThat(gdpr.recordedAt()).isEqualTo(now);
      assertThat(gdpr.authorityDueAt())
          .isEqualTo(Instant.parse(detected.plusSeconds(72 * 3600).toString()));
      assertThat(gdpr.principalsDueAt()).isEqualTo(detected);
      assertThat(gdpr.reportDueAt()).isNull();
      assertThat(gdpr.overdue()).containsExactly("principals");

      Incident dpdp = incidents.record(tenant, Regime.DPDP, detected, details());
      assertThat(dpdp.reportDueAt()).isEqualTo(detected.plus(Duration.ofHours(72)));
      clock.advance(Duration.ofHours(71)); // 72 h after detection: due, not yet late
      assertThat(incidents.get(dpdp.id()).orElseThrow().overdue()).containsExactly("principals");
      clock.advance(Duration.ofSeconds(1));
      assertThat(incidents.get(dpdp.id()).orElseThrow().overdue())
          .containsExactly("authority", "principals", "report");

      Instant told = detected.plus(Duration.ofHours(70));
      Incident notified = incidents.notifyAuthority(dpdp.id(), told, "DPB-2026-0042");
      assertThat(notified.authorityNotifiedAt()).isEqualTo(told);
      assertThat(notified.authorityReference()).isEqualTo("DPB-2026-0042");
      assertThat(notified.overdue()).containsExactly("principals", "report");
      assertThat(incidents.fileReport(dpdp.id(), null, null).overdue())
          .containsExactly("principals");
      assertThatThrownBy(() -> incidents.notifyAuthority(dpdp.id(), null, "again"))
          .isInstanceOf(ConsentException.class)
          .hasMessageContaining("already records the authority's notification");
      assertThatThrownBy(() -> incidents.fileReport(gdpr.id(), null, null))
          .hasMessage("the detailed report of rule 7(2)(b) is a DPDP duty");
      assertThatThrownBy(() -> incidents.notifyAuthority(gdpr.id(), detected.minusSeconds(1), null))
          .satisfies(e -> assertThat(((ConsentException) e).field()).isEqualTo("at"));
      // overdue first: a closed incident is late no more
      incidents.close(gdpr.id(), "no risk: the data was encrypted");
      assertThat(incidents.list(tenant))
          .extracting(Incident::id)
          .containsExactly(dpdp.id(), gdpr.id());
      assertThat(incidents.history(dpdp.id()))
          .extracting(row -> row.get("note"))
          .containsExactly(
              "recorded (manual)", "authority notified (DPB-2026-0042)", "detailed report filed");
    }
  }

  @DatabaseTest
  void detectedAt_moreThanFiveMinutesAhead_isRefused_andNothingIsStored(Database db) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    MutableClock clock = new MutableClock(now);
    try (AuditLog audit = audit(db)) {
      Incidents incidents = incidents(db, audit, clock, c -> {});
      String tenant = tenant();
      Instant late = now.plus(Duration.ofMinutes(5)).plusSeconds(1);
      assertThatThrownBy(() -> incidents.record(tenant, Regime.GDPR, late, details()))
          .isInstanceOf(ConsentException.class)
          .hasMessage("detected_at must not lie more than 5 minutes in the future")
          .satisfies(e -> assertThat(((ConsentException) e).field()).isEqualTo("detected_at"));
      assertThat(incidents.list(tenant)).isEmpty();
      Incident skewed =
          incidents.record(tenant, Regime.GDPR, now.plus(Duration.ofMinutes(5)), details());
      assertThat(skewed.detectedAt()).isEqualTo(now.plus(Duration.ofMinutes(5)));
      assertThat(incidents.list(tenant)).hasSize(1);
      assertThat(incidents.list(tenant())).isEmpty(); // another tenant sees nothing
    }
  }

  @DatabaseTest
  void badFields_areRefused_namingTheField(Database db) {
    assertThat(field(() -> IncidentDetails.of(null))).isEqualTo("nature");
    assertThat(field(() -> IncidentDetails.of(" "))).isEqualTo("nature");
    assertThat(
            field(
                () ->
                    new IncidentDetails(
                        "x",
                        List.of("ok", "<b>"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null)))
        .isEqualTo("categories/1");
    assertThat(
            field(
                () ->
                    new IncidentDetails(
                        "x", List.of(), -1L, null, null, null, null, null, null, null, null, null,
                        null)))
        .isEqualTo("approximate_principals");
    assertThat(field(() -> new AffectedSearch(null, null, null, Instant.EPOCH, Instant.EPOCH)))
        .isEqualTo("to");
    try (AuditLog audit = audit(db)) {
      Incidents incidents = incidents(db, audit, new MutableClock(Instant.now()), c -> {});
      assertThat(field(() -> incidents.record(" ", Regime.GDPR, Instant.now(), details())))
          .isEqualTo("tenant");
      assertThat(field(() -> incidents.record("t", null, Instant.now(), details())))
          .isEqualTo("regime");
      assertThat(field(() -> incidents.record("t", Regime.GDPR, null, details())))
          .isEqualTo("detected_at");
      Incident incident = incidents.record(tenant(), Regime.GDPR, Instant.now(), details());
      assertThat(field(() -> incidents.close(incident.id(), null))).isEqualTo("note");
      assertThatThrownBy(() -> incidents.confirm(incident.id(), null))
          .hasMessageContaining("is OPEN; confirm does not apply");
      assertThatThrownBy(() -> incidents.get("nope").orElseThrow(() -> Incidents.notFound("nope")))
          .hasMessage("no incident nope");
    }
  }

  private static String field(Runnable call) {
    try {
      call.run();
    } catch (ConsentException e) {
      assertThat(e.kind()).isEqualTo(ConsentException.Kind.INVALID_FIELD);
      return e.field();
    }
    throw new AssertionError("not refused");
  }

  @DatabaseTest
  void affectedPrincipals_comeFromTheAuditLog_andEachGetsOneTrackedNotice(Database db)
      throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
    Instant start = Instant.now().minusSeconds(60);
    MutableClock clock = new MutableClock(Instant.now());
    try (AuditLog audit = audit(db);
        Webhooks webhooks =
            Webhooks.open(
                db,
                c ->
                    c.keyring(Keyring.inMemory())
                        .clock(clock)
                        .insecureAllowPlainHttp()
                        .insecureAllowPrivateTargets())) {
      Incidents incidents = incidents(db, audit, clock, c -> {});
      String tenant = tenant();
      String other = tenant();
      read(audit, tenant, "agent-7", "subj_a", "user.contact.email");
      read(audit, tenant, "agent-7", "subj_b", "user.contact.email");
      read(audit, tenant, "agent-7", "subj_b", "user.contact.email");
      read(audit, tenant, "agent-7", "subj_c", "payment.card");
      read(audit, tenant, "agent-8", "subj_d", "user.contact.email");
      read(audit, other, "agent-7", "subj_x", "user.contact.email");
      webhooks.register(
          tenant,
          URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
          Set.of("breach.notice"));
      Incident incident = incidents.record(tenant, Regime.GDPR, clock.instant(), details());
      assertThatThrownBy(() -> incidents.notifyPrincipals(incident.id()))
          .hasMessageContaining("has no affected principals: find them first");

      Incident found =
          incidents.findAffected(
              incident.id(),
              new AffectedSearch(
                  "agent-7", null, "user.contact.email", start, Instant.now().plusSeconds(60)));
      assertThat(found.principals()).isEqualTo(2);
      assertThat(incidents.notices(incident.id()))
          .extracting(IncidentNotice::subject, IncidentNotice::status)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("subj_a", "NOT_SENT"),
              org.assertj.core.groups.Tuple.tuple("subj_b", "NOT_SENT"));
      // found again: nothing attached twice
      assertThat(
              incidents
                  .findAffected(
                      incident.id(),
                      new AffectedSearch(
                          "agent-7", null, null, start, Instant.now().plusSeconds(60)))
                  .principals())
          .isEqualTo(3);

      Incident notified = incidents.notifyPrincipals(incident.id());
      assertThat(notified.notices()).isEqualTo(3);
      assertThat(notified.delivered()).isZero();
      assertThat(notified.principalsNotifiedAt())
          .isEqualTo(clock.instant().truncatedTo(ChronoUnit.MICROS));
      assertThat(notified.overdue()).isEmpty();
      assertThat(incidents.notices(incident.id()))
          .extracting(IncidentNotice::status)
          .containsExactly("PENDING", "PENDING", "PENDING");
      assertThat(webhooks.dispatchDue()).isEqualTo(3);
      assertThat(bodies).hasSize(3);
      assertThat(bodies)
          .allSatisfy(
              body ->
                  assertThat(body)
                      .contains("\"type\":\"breach.notice\"")
                      .contains("\"reference\":\"" + incident.id() + "\""));
      assertThat(bodies.stream().filter(b -> b.contains("\"subject\":\"subj_b\""))).hasSize(1);
      assertThat(incidents.get(incident.id()).orElseThrow().delivered()).isEqualTo(3);
      assertThat(incidents.notices(incident.id()))
          .extracting(IncidentNotice::status)
          .containsExactly("DELIVERED", "DELIVERED", "DELIVERED");
      assertThatThrownBy(() -> incidents.notifyPrincipals(incident.id()))
          .hasMessageContaining("every affected principal");

      // every step is an audit entry naming the incident and the step, never a person
      audit.sync().join();
      List<AuditRecord> steps =
          audit.query(AuditQuery.tenant(tenant).actor("svc:incidents").limit(100));
      assertThat(steps)
          .extracting(r -> r.entry().action() + " " + r.entry().requestId())
          .containsExactly(
              "INCIDENT_RECORDED " + incident.id() + "/record",
              "INCIDENT_UPDATED " + incident.id() + "/find-affected",
              "INCIDENT_UPDATED " + incident.id() + "/find-affected",
              "INCIDENT_UPDATED " + incident.id() + "/notify-principals");
      assertThat(steps).allSatisfy(r -> assertThat(r.entry().subject()).isNull());
    } finally {
      server.stop(0);
    }
  }

  private static void read(
      AuditLog audit, String tenant, String actor, String subject, String category) {
    audit
        .append(
            AuditEntry.builder(tenant, actor, Action.READ)
                .subject(subject)
                .purpose("support")
                .categories(List.of(category))
                .build())
        .join();
  }

  @DatabaseTest
  void drafts_holdTheFieldsEachProvisionAsksFor(Database db) {
    try (AuditLog audit = audit(db)) {
      Incidents incidents = incidents(db, audit, new MutableClock(Instant.now()), c -> {});
      Instant now = Instant.now();
      Incident gdpr = incidents.record(tenant(), Regime.GDPR, now, details());
      IncidentReports.Draft draft = IncidentReports.draft(gdpr, now);
      assertThat(draft.sections())
          .extracting(IncidentReports.Section::provision)
          .containsExactly(
              "GDPR Art. 33(3)(a)",
              "GDPR Art. 33(3)(b)",
              "GDPR Art. 33(3)(c)",
              "GDPR Art. 33(3)(d)",
              "GDPR Art. 34");
      assertThat(draft.sections().get(0).fields())
          .extracting(IncidentReports.Field::key, IncidentReports.Field::value)
          .contains(
              org.assertj.core.groups.Tuple.tuple("approximate_principals", "1200"),
              org.assertj.core.groups.Tuple.tuple("approximate_records", "5400"),
              org.assertj.core.groups.Tuple.tuple("categories", "user.contact.email"));
      assertThat(draft.sections().get(1).fields().get(0).value()).isEqualTo("DPO, dpo@example.com");

      Incident dpdp =
          incidents.record(tenant(), Regime.DPDP, now, IncidentDetails.of("lost laptop"));
      IncidentReports.Draft board = IncidentReports.draft(dpdp, now);
      assertThat(board.sections())
          .extracting(IncidentReports.Section::provision)
          .containsExactly("DPDP Rules 2025, rule 7(2)(a)", "DPDP Rules 2025, rule 7(2)(b)");
      assertThat(board.sections().get(0).fields())
          .extracting(IncidentReports.Field::key)
          .containsExactly(
              "nature",
              "categories",
              "approximate_principals",
              "approximate_records",
              "occurred_at",
              "detected_at",
              "location",
              "consequences");
      assertThat(board.sections().get(1).fields())
          .extracting(IncidentReports.Field::key)
          .containsExactly(
              "updated_description",
              "circumstances",
              "measures",
              "responsible",
              "remedial",
              "intimations",
              "contact");
      // what is not known yet is null: the draft shows it as missing
      assertThat(board.sections().get(1).fields().get(1).value()).isNull();
      assertThat(board.toMap())
          .containsEntry(
              "report_due_at",
              now.truncatedTo(ChronoUnit.MICROS).plus(Duration.ofHours(72)).toString());
    }
  }

  @DatabaseTest
  void detector_raisesOneCandidatePerActorAndWindow_andNeverTwice(Database db) {
    try (AuditLog audit = audit(db)) {
      MutableClock clock = new MutableClock(Instant.now());
      String tenant = tenant();
      Incidents incidents =
          incidents(
              db,
              audit,
              clock,
              c -> c.decryptThreshold(3).deniedThreshold(2).tenants(List.of(tenant)));
      Instant from = Instant.now().minusSeconds(60);
      for (int i = 0; i < 3; i++) {
        append(audit, tenant, "batch-job", Action.DECRYPT, Outcome.SUCCESS, "subj_" + i);
      }
      append(audit, tenant, "quiet-job", Action.DECRYPT, Outcome.SUCCESS, "subj_9");
      append(audit, tenant, "quiet-job", Action.DECRYPT, Outcome.SUCCESS, "subj_9");
      append(audit, tenant, "intruder", Action.ACCESS_DENIED, Outcome.DENIED, "subj_1");
      append(audit, tenant, "intruder", Action.ACCESS_DENIED, Outcome.DENIED, "subj_2");
      Instant to = Instant.now().plusSeconds(60);

      List<Incident> raised = incidents.detect(from, to);
      assertThat(raised).allSatisfy(i -> assertThat(i.tenant()).isEqualTo(tenant));
      assertThat(raised)
          .extracting(Incident::source)
          .containsExactly("repeated_denials", "unusual_decrypts");
      Incident decrypts = raised.get(1);
      assertThat(decrypts.status()).isEqualTo(IncidentStatus.CANDIDATE);
      assertThat(decrypts.details().nature())
          .startsWith("unusual decrypts: 3 audit entries by actor 'batch-job'");
      assertThat(decrypts.details().approximatePrincipals()).isEqualTo(3);
      assertThat(decrypts.overdue()).isEmpty(); // a candidate is not late until confirmed
      assertThat(incidents.detect(from, to)).isEmpty(); // the same window again: nothing new
      assertThat(incidents.list(tenant)).hasSize(2);

      clock.advance(Duration.ofHours(1));
      Incident confirmed = incidents.confirm(decrypts.id(), "the batch job's token leaked");
      assertThat(confirmed.status()).isEqualTo(IncidentStatus.OPEN);
      assertThat(confirmed.detectedAt()).isEqualTo(decrypts.detectedAt()); // clocks not restarted
      assertThat(confirmed.authorityDueAt())
          .isEqualTo(decrypts.detectedAt().plus(Duration.ofHours(72)));
      Incident dismissed = incidents.dismiss(raised.get(0).id(), "a tester's wrong password");
      assertThat(dismissed.status()).isEqualTo(IncidentStatus.DISMISSED);
      assertThatThrownBy(() -> incidents.update(dismissed.id(), IncidentDetails.of("x")))
          .hasMessageContaining("is DISMISSED and final");
    }
  }

  private static void append(
      AuditLog audit, String tenant, String actor, Action action, Outcome outcome, String subject) {
    audit
        .append(
            AuditEntry.builder(tenant, actor, action)
                .subject(subject)
                .categories(List.of("user.financial"))
                .outcome(outcome)
                .build())
        .join();
  }

  @DatabaseTest
  void failedAuditVerification_raisesACandidate_once(Database db) {
    try (AuditLog audit = audit(db)) {
      String tenant = tenant();
      Incidents incidents =
          incidents(db, audit, new MutableClock(Instant.now()), c -> c.tenants(List.of(tenant)));
      assertThat(incidents.auditVerificationFailed(new Verification(10, 1, Optional.empty())))
          .isEmpty();
      Verification broken =
          new Verification(
              10,
              1,
              Optional.of(new Verification.Failure(7, Verification.Kind.LEAF, "aa", "bb", 4)));
      List<Incident> raised = incidents.auditVerificationFailed(broken);
      assertThat(raised)
          .filteredOn(i -> i.tenant().equals(tenant))
          .singleElement()
          .satisfies(
              i -> {
                assertThat(i.source()).isEqualTo("audit_verification");
                assertThat(i.status()).isEqualTo(IncidentStatus.CANDIDATE);
                assertThat(i.details().nature())
                    .isEqualTo(
                        "audit log verification failed (LEAF): the access log may have been altered;"
                            + " the operator holds the details");
              });
      assertThat(incidents.auditVerificationFailed(broken)).isEmpty();
    }
  }
}
