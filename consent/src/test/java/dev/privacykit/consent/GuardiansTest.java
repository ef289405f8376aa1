package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditQuery;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.policies.ConsentState;
import dev.privacykit.policies.DecisionEngine;
import dev.privacykit.policies.DecisionRequest;
import dev.privacykit.policies.Guardianship;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.policies.ReasonCode;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Children and persons with a lawful guardian (DPDP s.9, Rules 10-11; GDPR Art. 8) on H2 and
 * PostgreSQL: marking with evidence, verified guardian links, the ledger taking a ward's consent
 * only from a verified guardian, and the decision engine counting it only while the link stands,
 * tried as an attacker would.
 */
class GuardiansTest {
  private static final PolicySet DPDP = PolicyPacks.dpdp();
  private static final Instant NOW = Instant.now();

  private static String tenant() {
    return "t_" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static AuditLog audit(Database db) {
    return AuditLog.open(db, c -> c.origin("t/audit").signer(CheckpointSigner.generate("t/audit")));
  }

  private static GuardianVerification token(String ref) {
    return new GuardianVerification(
        GuardianVerification.Method.VIRTUAL_TOKEN, ref, "digilocker", NOW, "op:kyc-desk");
  }

  private static ConsentChange give(String tenant, String subject, String purpose) {
    return ConsentChange.of(tenant, subject, purpose, 2, "hi");
  }

  private static ConsentChange asGuardian(ConsentChange change, String guardian) {
    return change
        .withActingParty(ActingParty.GUARDIAN)
        .withProvenance(Provenance.NONE.withGuardian(guardian, null));
  }

  private static void assertRefused(
      ThrowingCallable call, ConsentException.Kind kind, String field) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ConsentException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(kind);
              assertThat(e.field()).isEqualTo(field);
            });
  }

  private static ReasonCode reason(ConsentLedger ledger, String tenant, String subject, String p) {
    return new DecisionEngine(DPDP, ledger.lookup())
        .decide(DecisionRequest.of(tenant, subject, p, Set.of()))
        .reason();
  }

  @DatabaseTest
  void child_consentsOnlyThroughAVerifiedParent_whoseLinkMustStand(Database db) {
    try (AuditLog audit = audit(db);
        ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(DPDP).audit(audit))) {
      Guardians guardians = Guardians.open(db, c -> c.audit(audit).ledger(ledger));
      String t = tenant();
      // before marking, the principal consents for herself
      ledger.give(give(t, "kid", "account"));
      assertThat(reason(ledger, t, "kid", "account")).isEqualTo(ReasonCode.CONSENT_VALID);

      WardMarking marked =
          guardians.markChild(
              t,
              "kid",
              LocalDate.now(ZoneOffset.UTC).minusYears(12),
              WardMarking.Source.DECLARED_BY_PRINCIPAL,
              "signup-age-gate-7",
              "op:signup");
      assertThat(marked.until()).isEqualTo(LocalDate.now(ZoneOffset.UTC).plusYears(6));
      // the marking reaches the warm cache at once: her own consent no longer counts
      assertThat(reason(ledger, t, "kid", "account"))
          .isEqualTo(ReasonCode.GUARDIAN_CONSENT_REQUIRED);

      // she cannot give it again herself, nor can anyone claim to be her guardian
      assertRefused(
          () -> ledger.give(give(t, "kid", "account")),
          ConsentException.Kind.GUARDIAN_CONSENT_REQUIRED,
          "acting_party");
      assertRefused(
          () -> ledger.give(give(t, "kid", "account").withActingParty(ActingParty.GUARDIAN)),
          ConsentException.Kind.GUARDIAN_NOT_VERIFIED,
          "acting_party");
      assertRefused(
          () -> ledger.give(asGuardian(give(t, "kid", "account"), "mallory")),
          ConsentException.Kind.GUARDIAN_NOT_VERIFIED,
          "acting_party");

      GuardianLink link =
          guardians.link(t, "kid", "mum", GuardianLink.Relation.PARENT, token("dl-token-81f2"));
      ConsentEvent event = ledger.give(asGuardian(give(t, "kid", "account"), "mum"));
      assertThat(event.actingParty()).isEqualTo(ActingParty.GUARDIAN);
      assertThat(event.provenance().guardian()).isEqualTo("mum");
      assertThat(event.provenance().guardianLink()).isEqualTo(link.id());
      assertThat(ledger.history(t, "kid", "account").get(1).provenance())
          .isEqualTo(event.provenance());
      assertThat(reason(ledger, t, "kid", "account")).isEqualTo(ReasonCode.CONSENT_VALID);
      // another tenant's guardian is nobody here
      assertRefused(
          () -> ledger.give(asGuardian(give(tenant(), "kid", "account"), "mum")),
          ConsentException.Kind.GUARDIAN_NOT_VERIFIED,
          "acting_party");

      // tracking and targeted advertising are refused for a child, even from her parent
      assertRefused(
          () -> ledger.give(asGuardian(give(t, "kid", "location_offers"), "mum")),
          ConsentException.Kind.CHILD_PROTECTED,
          "purpose");
      assertThat(ledger.history(t, "kid", "location_offers")).isEmpty();
      // a withdrawal from the child herself is taken: it only protects her
      assertThat(ledger.withdraw(give(t, "kid", "usage_analytics")).state())
          .isEqualTo(ConsentState.WITHDRAWN);

      // revoking the link stops the consent counting, at once
      guardians.revoke(t, "kid", link.id(), "court order gave custody to the father", "op:legal");
      assertThat(reason(ledger, t, "kid", "account"))
          .isEqualTo(ReasonCode.GUARDIAN_CONSENT_REQUIRED);
      assertRefused(
          () -> ledger.give(asGuardian(give(t, "kid", "account"), "mum")),
          ConsentException.Kind.GUARDIAN_NOT_VERIFIED,
          "acting_party");

      // clearing the marking (she was an adult after all) lets her own consent count again
      guardians.clear(t, "kid", "age verified as 19 by the age check", "op:kyc-desk");
      ledger.give(give(t, "kid", "account"));
      assertThat(reason(ledger, t, "kid", "account")).isEqualTo(ReasonCode.CONSENT_VALID);

      audit.sync().join();
      assertThat(audit.query(AuditQuery.tenant(t).subject("kid")))
          .extracting(r -> r.entry().action() + " " + r.entry().requestId())
          .filteredOn(s -> s.startsWith("GUARDIANSHIP_UPDATED"))
          .containsExactly(
              "GUARDIANSHIP_UPDATED " + marked.id() + "/mark",
              "GUARDIANSHIP_UPDATED " + link.id() + "/link",
              "GUARDIANSHIP_UPDATED " + link.id() + "/revoke",
              "GUARDIANSHIP_UPDATED marking/clear");
    }
  }

  @DatabaseTest
  void links_needTheRightMeansOfVerification_andNeverHoldADocumentNumber(Database db) {
    try (AuditLog audit = audit(db);
        ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(DPDP).audit(audit))) {
      Guardians guardians = Guardians.open(db, c -> c.audit(audit).ledger(ledger));
      String t = tenant();
      var parent = GuardianLink.Relation.PARENT;
      var lawful = GuardianLink.Relation.LAWFUL_GUARDIAN;
      var invalid = ConsentException.Kind.INVALID_FIELD;
      assertRefused(
          () -> guardians.link(t, "ward", "dad", parent, token("tok-1")),
          ConsentException.Kind.CONFLICT,
          "ward");
      guardians.mark(
          t,
          "ward",
          Guardianship.Kind.DISABILITY,
          WardMarking.Source.GUARDIANSHIP_ORDER,
          "order 2026/117",
          null,
          "op:legal");
      assertRefused(
          () -> guardians.link(t, "ward", "dad", parent, token("tok-1")), invalid, "relation");
      assertRefused(
          () -> guardians.link(t, "ward", "dad", lawful, token("tok-1")),
          invalid,
          "verification/method");
      GuardianVerification order =
          new GuardianVerification(
              GuardianVerification.Method.COURT_ORDER, "GWOP 55/2026", null, NOW, "op:legal");
      assertRefused(
          () -> guardians.link(t, "ward", "dad", lawful, order), invalid, "verification/issuer");
      assertRefused(
          () ->
              guardians.link(
                  t,
                  "ward",
                  "dad",
                  lawful,
                  new GuardianVerification(
                      GuardianVerification.Method.COURT_ORDER,
                      "2345 6789 0123",
                      "District Court, Pune",
                      NOW,
                      "op:legal")),
          invalid,
          "verification/reference");
      assertRefused(
          () ->
              guardians.link(
                  t,
                  "ward",
                  "dad",
                  lawful,
                  new GuardianVerification(
                      GuardianVerification.Method.COURT_ORDER,
                      "GWOP 55/2026",
                      "District Court, Pune",
                      NOW.plusSeconds(3_600),
                      "op:legal")),
          invalid,
          "verification/verified_at");
      assertRefused(() -> guardians.link(t, "ward", "ward", lawful, order), invalid, "guardian");
      // a guardian who is herself a child is refused (Rule 10: an identifiable adult)
      guardians.mark(
          t, "teen", Guardianship.Kind.CHILD, WardMarking.Source.AGE_CHECK, null, null, "op:x");
      GuardianVerification court =
          new GuardianVerification(
              GuardianVerification.Method.COURT_ORDER,
              "GWOP 55/2026",
              "District Court, Pune",
              NOW,
              "op:legal");
      assertRefused(
          () -> guardians.link(t, "ward", "teen", lawful, court),
          ConsentException.Kind.CONFLICT,
          "guardian");
      GuardianLink link = guardians.link(t, "ward", "dad", lawful, court);
      assertRefused(
          () -> guardians.link(t, "ward", "dad", lawful, court),
          ConsentException.Kind.CONFLICT,
          "guardian");
      assertThat(guardians.links(t, "ward")).containsExactly(link);
      // a link is revoked only under its own ward
      assertRefused(
          () -> guardians.revoke(t, "teen", link.id(), "wrong ward", "op:x"),
          ConsentException.Kind.NOT_FOUND,
          null);
      assertThat(guardians.wardsOf(t, "dad")).containsExactly(link);
      assertThat(guardians.verifyMayAct(t, "ward", "dad")).isEqualTo(link);
      assertRefused(
          () -> guardians.verifyMayAct(t, "teen", "dad"),
          ConsentException.Kind.GUARDIAN_NOT_VERIFIED,
          "acting_party");
      // a second marking while one is in force is a conflict; nothing changed
      assertRefused(
          () ->
              guardians.mark(
                  t,
                  "ward",
                  Guardianship.Kind.CHILD,
                  WardMarking.Source.AGE_CHECK,
                  null,
                  null,
                  "op:x"),
          ConsentException.Kind.CONFLICT,
          "subject");
      assertThat(guardians.markings(t, "ward")).hasSize(1);
      // marking an adult as a child by birth date is refused
      assertRefused(
          () ->
              guardians.markChild(
                  t,
                  "adult",
                  LocalDate.now(ZoneOffset.UTC).minusYears(18),
                  WardMarking.Source.AGE_CHECK,
                  null,
                  "op:x"),
          invalid,
          "born_on");
      assertThat(guardians.marking(t, "adult")).isEmpty();
    }
  }

  @DatabaseTest
  void lawfulBasisPurpose_needsNoGuardian_andTheMarkingEndsOnItsDate(Database db) {
    MutableClock clock = new MutableClock(NOW);
    try (AuditLog audit = audit(db);
        ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(DPDP).audit(audit))) {
      Guardians guardians = Guardians.open(db, c -> c.audit(audit).ledger(ledger).clock(clock));
      String t = tenant();
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      guardians.mark(
          t,
          "kid",
          Guardianship.Kind.CHILD,
          WardMarking.Source.FIDUCIARY_RECORDS,
          "crm:7781",
          today.plusDays(1),
          "op:x");
      assertThat(guardians.marking(t, "kid")).isPresent();
      assertThat(
              new DecisionEngine(DPDP, ledger.lookup())
                  .decide(DecisionRequest.of(t, "kid", "age_assurance", Set.of()))
                  .allowed())
          .isTrue();
      clock.advance(java.time.Duration.ofDays(2));
      assertThat(guardians.marking(t, "kid")).isEmpty();
      assertThat(guardians.markings(t, "kid")).hasSize(1);
    }
  }

  @DatabaseTest
  void accessPackages_showTheChildHerGuardians_andTheParentHerWards(Database db) throws Exception {
    try (AuditLog audit = audit(db);
        ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(DPDP).audit(audit))) {
      Guardians guardians = Guardians.open(db, c -> c.audit(audit).ledger(ledger));
      String t = tenant();
      guardians.mark(
          t, "kid", Guardianship.Kind.CHILD, WardMarking.Source.AGE_CHECK, "ac-1", null, "op:x");
      guardians.link(t, "kid", "mum", GuardianLink.Relation.PARENT, token("dl-tok-1"));
      ledger.give(asGuardian(give(t, "kid", "account"), "mum"));
      DataSubjectRequests requests =
          DataSubjectRequests.open(db, c -> c.audit(audit).ledger(ledger));
      var kidAccess =
          requests.submit(t, "kid", RequestType.ACCESS, dev.privacykit.policies.Regime.DPDP, true);
      java.io.StringWriter json = new java.io.StringWriter();
      requests.writeAccessPackage(kidAccess.id(), dev.privacykit.audit.ExportFormat.JSON, json);
      var pkg = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toString());
      assertThat(pkg.at("/guardianship/markings/0/kind").asText()).isEqualTo("CHILD");
      assertThat(pkg.at("/guardianship/guardians/0/guardian").asText()).isEqualTo("mum");
      assertThat(pkg.at("/guardianship/guardians/0/verified_by_means").asText())
          .isEqualTo("VIRTUAL_TOKEN");
      assertThat(pkg.at("/consent_history/0/guardian").asText()).isEqualTo("mum");
      assertThat(json.toString()).doesNotContain("dl-tok-1");
      var mumAccess =
          requests.submit(t, "mum", RequestType.ACCESS, dev.privacykit.policies.Regime.DPDP, true);
      java.io.StringWriter csv = new java.io.StringWriter();
      requests.writeAccessPackage(mumAccess.id(), dev.privacykit.audit.ExportFormat.CSV, csv);
      assertThat(csv.toString()).contains("\r\nward,").contains(",PARENT,kid,");
    }
  }

  @DatabaseTest
  void concurrentMarks_leaveNoMarkingInForceOnceCleared(Database db) throws Exception {
    try (AuditLog audit = audit(db);
        ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(DPDP).audit(audit))) {
      Guardians guardians = Guardians.open(db, c -> c.audit(audit).ledger(ledger));
      String t = tenant();
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(4);
      try {
        java.util.List<java.util.concurrent.Future<Object>> marks = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
          marks.add(
              pool.submit(
                  () -> {
                    try {
                      return guardians.mark(
                          t,
                          "kid",
                          Guardianship.Kind.CHILD,
                          WardMarking.Source.AGE_CHECK,
                          null,
                          null,
                          "op:x");
                    } catch (ConsentException e) {
                      return e.kind();
                    }
                  }));
        }
        int marked = 0;
        for (var f : marks) {
          Object result = f.get();
          if (result instanceof WardMarking) {
            marked++;
          } else {
            assertThat(result).isEqualTo(ConsentException.Kind.CONFLICT);
          }
        }
        assertThat(marked).isBetween(1, 4);
      } finally {
        pool.shutdownNow();
      }
      assertThat(guardians.marking(t, "kid")).isPresent();
      guardians.clear(t, "kid", "recorded in error", "op:x");
      assertThat(guardians.marking(t, "kid")).isEmpty();
      assertThat(guardians.markings(t, "kid")).allMatch(m -> m.clearedAt() != null);
    }
  }
}
