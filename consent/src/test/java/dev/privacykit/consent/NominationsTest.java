package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditQuery;
import dev.privacykit.audit.AuditRecord;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.policies.Regime;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * The nomination register (DPDP Act s.14) on H2 and PostgreSQL: the principal's register with its
 * limit and history, the events the fiduciary records and rescinds, and who may act for a principal
 * when, tried as an attacker would.
 */
class NominationsTest {
  private static final Evidence WEB =
      new Evidence(Instant.parse("2026-01-01T10:00:00Z"), "web", null, null, "nominee-form-3");

  private static String tenant() {
    return "t_" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static AuditLog audit(Database db) {
    return AuditLog.open(db, c -> c.origin("t/audit").signer(CheckpointSigner.generate("t/audit")));
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

  @DatabaseTest
  void register_addsRevokesAndLists_withinItsLimit_keepingHistoryAndAuditEntries(Database db) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    MutableClock clock = new MutableClock(now);
    try (AuditLog audit = audit(db)) {
      Nominations register = Nominations.open(db, c -> c.audit(audit).clock(clock));
      String tenant = tenant();
      Nominee first =
          register.add(tenant, "alice", "nom_bob", NomineeRelation.SPOUSE, "contact:77", WEB);
      assertThat(first.isActive()).isTrue();
      assertThat(first.addedAt()).isEqualTo(now);
      assertThat(first.evidence()).isEqualTo(WEB);

      // bad input names the field and stores nothing
      var invalid = ConsentException.Kind.INVALID_FIELD;
      assertRefused(
          () -> register.add(tenant, "alice", "alice", NomineeRelation.OTHER, null, WEB),
          invalid,
          "nominee");
      assertRefused(
          () -> register.add(tenant, "alice", "nom_c", null, null, WEB), invalid, "relation");
      assertRefused(
          () -> register.add(tenant, "alice", "nom_c", NomineeRelation.CHILD, "c@example.com", WEB),
          invalid,
          "contact_reference");
      assertRefused(
          () ->
              register.add(tenant, "alice", "nom_c", NomineeRelation.CHILD, "+91 98765 43210", WEB),
          invalid,
          "contact_reference");
      Evidence ahead = Evidence.at(now.plus(Duration.ofMinutes(6)));
      assertRefused(
          () -> register.add(tenant, "alice", "nom_c", NomineeRelation.CHILD, null, ahead),
          invalid,
          "evidence/collected_at");
      assertRefused(
          () -> register.add(tenant, "alice", "nom_c", NomineeRelation.CHILD, null, null),
          invalid,
          "evidence");
      assertRefused(
          () -> register.add(tenant, "alice", "nom_bob", NomineeRelation.SPOUSE, null, WEB),
          ConsentException.Kind.CONFLICT,
          "nominee");
      assertRefused(
          () -> register.add(tenant, "alice", "nom_c", NomineeRelation.CHILD, null, WEB),
          ConsentException.Kind.LIMIT_REACHED,
          null);
      assertThat(register.list(tenant, "alice")).containsExactly(first);

      // only the principal's own nominee, in her tenant, can be revoked, and once
      var notFound = ConsentException.Kind.NOT_FOUND;
      Nominee carols = register.add(tenant, "carol", "nom_d", NomineeRelation.FRIEND, null, WEB);
      assertRefused(() -> register.revoke(tenant, "alice", carols.id(), null), notFound, null);
      assertRefused(() -> register.revoke(tenant(), "alice", first.id(), null), notFound, null);
      clock.advance(Duration.ofMinutes(1));
      Nominee revoked = register.revoke(tenant, "alice", first.id(), "changed my mind");
      assertThat(revoked.revokedAt()).isEqualTo(now.plus(Duration.ofMinutes(1)));
      assertRefused(
          () -> register.revoke(tenant, "alice", first.id(), null),
          ConsentException.Kind.INVALID_TRANSITION,
          null);
      Nominee second = register.add(tenant, "alice", "nom_c", NomineeRelation.CHILD, null, WEB);
      assertThat(register.list(tenant, "alice")).containsExactly(revoked, second);
      assertThat(register.list(tenant, "carol")).containsExactly(carols);

      assertThat(register.history(tenant, "alice"))
          .extracting(r -> r.get("step") + " " + r.get("target_id") + " " + r.get("actor"))
          .containsExactly(
              "add " + first.id() + " alice",
              "revoke " + first.id() + " alice",
              "add " + second.id() + " alice");
      audit.sync().join();
      List<AuditRecord> entries = audit.query(AuditQuery.tenant(tenant).subject("alice"));
      assertThat(entries)
          .extracting(
              r ->
                  r.entry().action()
                      + " "
                      + r.entry().actor()
                      + " "
                      + r.entry().actorRole()
                      + " "
                      + r.entry().requestId())
          .containsExactly(
              "NOMINATION_UPDATED alice principal " + first.id() + "/add",
              "NOMINATION_UPDATED alice principal " + first.id() + "/revoke",
              "NOMINATION_UPDATED alice principal " + second.id() + "/add");
    }
  }

  @DatabaseTest
  void nominee_actsOnlyWhileAnEventIsInForce_andOnlyIfNamedBeforeItOccurred(Database db) {
    Instant t0 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    MutableClock clock = new MutableClock(t0);
    try (AuditLog audit = audit(db)) {
      DataSubjectRequests requests = DataSubjectRequests.open(db, c -> c.audit(audit));
      Nominations register =
          Nominations.open(
              db, c -> c.audit(audit).requests(requests).clock(clock).maxActiveNominees(2));
      String tenant = tenant();
      String other = tenant();
      var refused = ConsentException.Kind.NOMINATION_NOT_IN_FORCE;
      Nominee bob = register.add(tenant, "alice", "nom_bob", NomineeRelation.SPOUSE, null, WEB);
      register.add(tenant, "carol", "nom_dave", NomineeRelation.CHILD, null, WEB);
      register.add(other, "alice", "nom_bob", NomineeRelation.SPOUSE, null, WEB);
      ThrowingCallable bobForAlice = () -> register.verifyMayAct(tenant, "alice", "nom_bob");

      // a nomination alone gives no power: the principal is alive and capable
      assertRefused(bobForAlice, refused, null);
      assertThat(requests.ofSubject(tenant, "alice")).isEmpty();

      clock.advance(Duration.ofMinutes(20));
      Instant occurred = clock.instant().minus(Duration.ofMinutes(10));
      NominationEvent incapacity =
          register.recordEvent(
              tenant, "alice", NominationEvent.Kind.INCAPACITY, occurred, "cert-91", "dpo-ravi");
      assertThat(incapacity.inForce()).isTrue();
      assertThat(incapacity.recordedAt()).isEqualTo(clock.instant());
      register.verifyMayAct(tenant, "alice", "nom_bob");
      DataSubjectRequest access =
          register.fileFor(tenant, "alice", "nom_bob", RequestType.ACCESS, Regime.DPDP, List.of());
      assertThat(access.subject()).isEqualTo("alice");
      assertThat(access.filedBy()).isEqualTo(RequestFiler.NOMINEE);
      assertThat(access.status()).isEqualTo(RequestStatus.OPEN);
      assertThat(register.filedBy(tenant, "alice", "nom_bob")).containsExactly(access);

      // attackers: another principal's nominee, the principal herself, another tenant, a nominee
      // named after the incapacity began
      assertRefused(() -> register.verifyMayAct(tenant, "alice", "nom_dave"), refused, null);
      assertRefused(() -> register.verifyMayAct(tenant, "alice", "alice"), refused, null);
      assertRefused(() -> register.verifyMayAct(tenant, "carol", "nom_bob"), refused, null);
      assertRefused(() -> register.verifyMayAct(other, "alice", "nom_bob"), refused, null);
      assertRefused(() -> register.filedBy(other, "alice", "nom_bob"), refused, null);
      assertRefused(
          () ->
              register.fileFor(
                  tenant, "alice", "nom_dave", RequestType.ERASURE, Regime.DPDP, List.of()),
          refused,
          null);
      clock.advance(Duration.ofMinutes(1));
      register.add(tenant, "alice", "nom_late", NomineeRelation.FRIEND, null, WEB);
      assertRefused(() -> register.verifyMayAct(tenant, "alice", "nom_late"), refused, null);
      assertThat(requests.ofSubject(tenant, "alice")).containsExactly(access);

      // one event of a kind in force; none after a death; times from the evidence, not ahead
      assertRefused(
          () ->
              register.recordEvent(
                  tenant, "alice", NominationEvent.Kind.INCAPACITY, occurred, "c", "dpo"),
          ConsentException.Kind.INVALID_TRANSITION,
          null);
      assertRefused(
          () ->
              register.recordEvent(
                  tenant,
                  "alice",
                  NominationEvent.Kind.DEATH,
                  clock.instant().plus(Duration.ofMinutes(6)),
                  "c",
                  "dpo"),
          ConsentException.Kind.INVALID_FIELD,
          "occurred_at");
      assertRefused(
          () -> register.recordEvent(tenant, "alice", null, occurred, "c", "dpo"),
          ConsentException.Kind.INVALID_FIELD,
          "kind");
      assertRefused(
          () ->
              register.recordEvent(
                  tenant, "alice", NominationEvent.Kind.DEATH, occurred, " ", "dpo"),
          ConsentException.Kind.INVALID_FIELD,
          "evidence_reference");

      // rescinded in error: the power ends at once; the reason is required; once only
      assertRefused(
          () -> register.rescindEvent(tenant, "alice", incapacity.id(), null, "dpo-ravi"),
          ConsentException.Kind.INVALID_FIELD,
          "reason");
      assertRefused(
          () -> register.rescindEvent(tenant, "carol", incapacity.id(), "x", "dpo-ravi"),
          ConsentException.Kind.NOT_FOUND,
          null);
      NominationEvent rescinded =
          register.rescindEvent(tenant, "alice", incapacity.id(), "wrong principal", "dpo-asha");
      assertThat(rescinded.inForce()).isFalse();
      assertThat(rescinded.rescindedBy()).isEqualTo("dpo-asha");
      assertRefused(bobForAlice, refused, null);
      assertRefused(() -> register.filedBy(tenant, "alice", "nom_bob"), refused, null);
      assertRefused(
          () -> register.rescindEvent(tenant, "alice", incapacity.id(), "again", "dpo"),
          ConsentException.Kind.INVALID_TRANSITION,
          null);

      // a death that occurred before the nomination gives that nominee nothing
      NominationEvent early =
          register.recordEvent(
              tenant,
              "alice",
              NominationEvent.Kind.DEATH,
              t0.minus(Duration.ofDays(1)),
              "death-cert-1",
              "dpo-ravi");
      assertRefused(bobForAlice, refused, null);
      register.rescindEvent(tenant, "alice", early.id(), "date misread", "dpo-ravi");
      NominationEvent death =
          register.recordEvent(
              tenant, "alice", NominationEvent.Kind.DEATH, clock.instant(), "death-cert-2", "dpo");
      register.verifyMayAct(tenant, "alice", "nom_bob");
      assertRefused(
          () ->
              register.recordEvent(
                  tenant, "alice", NominationEvent.Kind.INCAPACITY, occurred, "c", "dpo"),
          ConsentException.Kind.INVALID_TRANSITION,
          null);

      // a revoked nominee never acts again, even re-named: the new nomination is after the death
      clock.advance(Duration.ofSeconds(1));
      register.revoke(tenant, "alice", bob.id(), null);
      assertRefused(bobForAlice, refused, null);
      register.add(tenant, "alice", "nom_bob", NomineeRelation.SPOUSE, null, WEB);
      assertRefused(bobForAlice, refused, null);
      assertThat(register.events(tenant, "alice"))
          .extracting(NominationEvent::id, NominationEvent::inForce)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(incapacity.id(), false),
              org.assertj.core.groups.Tuple.tuple(early.id(), false),
              org.assertj.core.groups.Tuple.tuple(death.id(), true));

      audit.sync().join();
      List<String> steps =
          audit.query(AuditQuery.tenant(tenant).subject("alice")).stream()
              .filter(r -> r.entry().action() == Action.NOMINATION_UPDATED)
              .map(r -> r.entry().actorRole() + " " + r.entry().requestId())
              .toList();
      assertThat(steps)
          .containsExactly(
              "principal " + bob.id() + "/add",
              "fiduciary " + incapacity.id() + "/record-incapacity",
              "nominee " + access.id() + "/file",
              steps.get(3), // nom_late's add
              "fiduciary " + incapacity.id() + "/rescind",
              "fiduciary " + early.id() + "/record-death",
              "fiduciary " + early.id() + "/rescind",
              "fiduciary " + death.id() + "/record-death",
              "principal " + bob.id() + "/revoke",
              steps.get(9)); // the re-named nomination's add
      assertThat(steps.get(3)).startsWith("principal ").endsWith("/add");
      List<Map<String, Object>> history = register.history(tenant, "alice");
      assertThat(history).hasSize(10);
      assertThat(history.get(2).get("actor")).isEqualTo("nom_bob");
      assertThat(history.get(2).get("note")).isEqualTo("access");
    }
  }

  @DatabaseTest
  void concurrentNominations_neverExceedTheLimit(Database db) throws Exception {
    try (AuditLog audit = audit(db)) {
      Nominations register = Nominations.open(db, c -> c.audit(audit));
      String tenant = tenant();
      ExecutorService pool = Executors.newFixedThreadPool(6);
      try {
        List<Callable<Boolean>> tries = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          String nominee = "nom_" + i;
          tries.add(
              () -> {
                try {
                  register.add(tenant, "erin", nominee, NomineeRelation.RELATIVE, null, WEB);
                  return true;
                } catch (ConsentException e) {
                  assertThat(e.kind()).isEqualTo(ConsentException.Kind.LIMIT_REACHED);
                  return false;
                }
              });
        }
        int added = 0;
        for (Future<Boolean> f : pool.invokeAll(tries)) {
          added += f.get() ? 1 : 0;
        }
        assertThat(added).isEqualTo(1);
        assertThat(register.list(tenant, "erin")).hasSize(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
