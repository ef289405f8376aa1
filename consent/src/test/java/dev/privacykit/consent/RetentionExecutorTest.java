package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditQuery;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.crypto.FieldContext;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Retention that runs, on H2 and PostgreSQL: consents that ended pass their grace and the host is
 * told to delete; an inactive principal is told 48 hours ahead (DPDP Rules 2025, rule 8(2)) and
 * erased unless they come back; dry runs write nothing; runs in parallel act once.
 */
class RetentionExecutorTest {
  private static final PolicySet DPDP = PolicyPacks.dpdp();

  private record Setup(
      Database db,
      AuditLog audit,
      SubjectKeys keys,
      ConsentLedger ledger,
      MutableClock clock,
      String tenant)
      implements AutoCloseable {
    RetentionExecutor executor(int limit) {
      return RetentionExecutor.open(
          db, c -> c.policy(DPDP).audit(audit).subjectKeys(keys).clock(clock).limit(limit));
    }

    @Override
    public void close() {
      ledger.close();
      audit.close();
    }
  }

  private static Setup setup(Database db) {
    SubjectKeys keys = SubjectKeys.open(db, RootKeys.ephemeral());
    AuditLog audit =
        AuditLog.open(
            db,
            c ->
                c.origin("t/audit").signer(CheckpointSigner.generate("t/audit")).subjectKeys(keys));
    ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(DPDP).audit(audit));
    return new Setup(
        db, audit, keys, ledger, new MutableClock(Instant.now()), "t-" + UUID.randomUUID());
  }

  private static List<String> announced(Database db, String tenant) throws Exception {
    List<String> types = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT type FROM webhook_outbox WHERE tenant = ? AND type <> 'consent.withdrawn'"
                    + " ORDER BY created_at, type")) {
      s.setString(1, tenant);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          types.add(rs.getString(1));
        }
      }
    }
    return types;
  }

  private static long rows(Database db, String tenant) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT COUNT(*) FROM retention_actions WHERE tenant = ?")) {
      s.setString(1, tenant);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static Duration untilThreeYears(Instant from, Instant now, Duration before) {
    Instant due = from.atOffset(ZoneOffset.UTC).plusYears(3).toInstant();
    return Duration.between(now, due.minus(before));
  }

  @DatabaseTest
  void inactivePrincipal_isToldFortyEightHoursAhead_thenErased_andDryRunsWriteNothing(Database db)
      throws Exception {
    try (Setup s = setup(db)) {
      String subject = "subj_" + UUID.randomUUID();
      RetentionExecutor executor = s.executor(10_000);
      executor.seen(s.tenant(), subject);
      Instant lastSeen = s.clock().instant();
      FieldContext context = FieldContext.of(s.tenant(), "profiles", "phone", subject);
      byte[] stored =
          s.keys()
              .cipher(s.tenant(), subject)
              .encrypt("+91 98 7654 3210".getBytes(StandardCharsets.UTF_8), context);

      s.clock().advance(untilThreeYears(lastSeen, s.clock().instant(), Duration.ofHours(49)));
      assertThat(executor.run(s.tenant(), false).actions())
          .as("49 hours before: nothing yet")
          .isEmpty();

      s.clock().advance(Duration.ofHours(2)); // 47 hours before the three years are up
      RetentionRun dry = executor.run(s.tenant(), true);
      assertThat(dry.actions())
          .extracting(RetentionAction::kind)
          .containsExactly(RetentionAction.Kind.NOTICE);
      assertThat(dry.actions().get(0).status()).isEqualTo(RetentionAction.Status.PLANNED);
      assertThat(rows(db, s.tenant())).isZero();
      assertThat(announced(db, s.tenant())).isEmpty();

      RetentionRun noticed = executor.run(s.tenant(), false);
      RetentionAction notice = noticed.actions().get(0);
      assertThat(notice.kind()).isEqualTo(RetentionAction.Kind.NOTICE);
      assertThat(notice.basisAt())
          .isEqualTo(lastSeen.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
      assertThat(notice.dueAt())
          .as("never less than 48 hours of notice, even when the run comes late")
          .isEqualTo(noticed.at().plus(Duration.ofHours(48)));
      assertThat(announced(db, s.tenant())).containsExactly("retention.notice");
      assertThat(executor.run(s.tenant(), false).actions()).as("told once").isEmpty();

      s.clock().advance(Duration.ofHours(47));
      assertThat(executor.run(s.tenant(), false).actions()).as("within the notice").isEmpty();
      s.clock().advance(Duration.ofHours(1).plusSeconds(1));
      RetentionRun erased = executor.run(s.tenant(), false);
      assertThat(erased.actions())
          .extracting(RetentionAction::kind)
          .containsExactly(RetentionAction.Kind.ERASE);
      assertThat(s.keys().hasKey(s.tenant(), subject)).isFalse();
      assertThatThrownBy(() -> s.keys().cipher(s.tenant(), subject).decrypt(stored, context))
          .hasMessage("decryption failed");
      assertThat(announced(db, s.tenant())).containsExactly("retention.notice", "subject.erased");
      assertThat(executor.run(s.tenant(), false).actions()).as("erased once").isEmpty();

      s.audit().sync().join();
      assertThat(s.audit().query(AuditQuery.tenant(s.tenant()).subject(subject)))
          .extracting(r -> r.entry().action())
          .containsExactly(Action.RETENTION_NOTICE, Action.ERASE);
      List<RetentionAction> report =
          executor.actions(s.tenant(), Instant.EPOCH, s.clock().instant().plusSeconds(1), 100);
      assertThat(report)
          .extracting(RetentionAction::kind)
          .containsExactly(RetentionAction.Kind.NOTICE, RetentionAction.Kind.ERASE);
      assertThat(report.get(0).status()).isEqualTo(RetentionAction.Status.DONE);
      assertThat(executor.actions("other-" + s.tenant(), Instant.EPOCH, Instant.MAX, 100))
          .isEmpty();
    }
  }

  @DatabaseTest
  void principalWhoComesBackAfterTheNotice_isNotErased(Database db) throws Exception {
    try (Setup s = setup(db)) {
      String subject = "subj_" + UUID.randomUUID();
      RetentionExecutor executor = s.executor(10_000);
      executor.seen(s.tenant(), subject);
      s.keys().cipher(s.tenant(), subject);
      s.clock()
          .advance(untilThreeYears(s.clock().instant(), s.clock().instant(), Duration.ofHours(24)));
      assertThat(executor.run(s.tenant(), false).count(RetentionAction.Kind.NOTICE)).isEqualTo(1);
      s.clock().advance(Duration.ofHours(1));
      executor.seen(s.tenant(), subject); // logs in
      s.clock().advance(Duration.ofDays(3));
      RetentionRun run = executor.run(s.tenant(), false);
      assertThat(run.actions())
          .extracting(RetentionAction::kind)
          .containsExactly(RetentionAction.Kind.CANCEL);
      assertThat(s.keys().hasKey(s.tenant(), subject)).isTrue();
      assertThat(announced(db, s.tenant())).containsExactly("retention.notice");
      assertThat(executor.run(s.tenant(), false).actions()).isEmpty();
    }
  }

  @DatabaseTest
  void endedConsent_passesItsGrace_thenTheHostIsToldToDelete_once_andOnlyInItsTenant(Database db)
      throws Exception {
    try (Setup s = setup(db)) {
      String subject = "subj_" + UUID.randomUUID();
      ConsentChange change = ConsentChange.of(s.tenant(), subject, "usage_analytics", 2, "en");
      s.ledger().give(change);
      s.ledger().withdraw(change);
      s.ledger().give(ConsentChange.of("other-" + s.tenant(), subject, "usage_analytics", 2, "en"));
      RetentionExecutor executor = s.executor(10_000);
      s.clock().advance(Duration.ofDays(29));
      assertThat(executor.run(s.tenant(), false).count(RetentionAction.Kind.ERASE)).isZero();
      s.clock().advance(Duration.ofDays(1).plusMinutes(1));
      RetentionRun run = executor.run(s.tenant(), false);
      assertThat(run.actions()).hasSize(1);
      RetentionAction erase = run.actions().get(0);
      assertThat(erase.kind()).isEqualTo(RetentionAction.Kind.ERASE);
      assertThat(erase.purpose()).isEqualTo("usage_analytics");
      assertThat(erase.note()).isEqualTo("consent ended; the grace of P30D has passed");
      assertThat(announced(db, s.tenant())).containsExactly("retention.erase");
      assertThat(executor.run(s.tenant(), false).actions()).isEmpty();
      assertThat(executor.run("other-" + s.tenant(), false).actions()).isEmpty();
    }
  }

  @DatabaseTest
  void runsAtOnce_actOnce_andALimitLeavesTheRestForTheNextRun(Database db) throws Exception {
    try (Setup s = setup(db)) {
      for (int i = 0; i < 3; i++) {
        String subject = "subj_" + i + "_" + UUID.randomUUID();
        ConsentChange change = ConsentChange.of(s.tenant(), subject, "usage_analytics", 2, "en");
        s.ledger().give(change);
        s.ledger().withdraw(change);
      }
      s.clock().advance(Duration.ofDays(31));
      RetentionRun limited = s.executor(2).run(s.tenant(), false);
      assertThat(limited.actions()).hasSize(2);
      assertThat(limited.more()).isTrue();
      RetentionExecutor a = s.executor(10_000);
      RetentionExecutor b = s.executor(10_000);
      var first = CompletableFuture.supplyAsync(() -> a.run(s.tenant(), false));
      var second = CompletableFuture.supplyAsync(() -> b.run(s.tenant(), false));
      int acted = first.join().actions().size() + second.join().actions().size();
      assertThat(acted).isEqualTo(1);
      assertThat(rows(db, s.tenant())).isEqualTo(3);
      assertThat(announced(db, s.tenant())).hasSize(3);
    }
  }

  @DatabaseTest
  void dataCollectedForAPurpose_goesAfterItsPeriod_oncePerWindow(Database db) throws Exception {
    try (Setup s = setup(db)) {
      String subject = "subj_" + UUID.randomUUID();
      s.audit()
          .append(
              dev.privacykit.audit.AuditEntry.builder(s.tenant(), "svc:app", Action.WRITE)
                  .subject(subject)
                  .purpose("usage_analytics")
                  .build())
          .join();
      s.audit()
          .append(
              dev.privacykit.audit.AuditEntry.builder(s.tenant(), "svc:app", Action.READ)
                  .subject("subj_reader")
                  .purpose("usage_analytics")
                  .build())
          .join();
      RetentionExecutor executor = s.executor(10_000);
      s.clock().advance(Duration.ofDays(364));
      assertThat(executor.run(s.tenant(), false).actions()).as("within the year").isEmpty();
      s.clock().advance(Duration.ofDays(2));
      RetentionRun run = executor.run(s.tenant(), false);
      assertThat(run.actions()).hasSize(1);
      RetentionAction action = run.actions().get(0);
      assertThat(action.subject()).as("a read is not a collection").isEqualTo(subject);
      assertThat(action.kind()).isEqualTo(RetentionAction.Kind.ANONYMISE);
      assertThat(action.rule()).isEqualTo(dev.privacykit.policies.RetentionRule.Trigger.COLLECTED);
      assertThat(announced(db, s.tenant())).containsExactly("retention.anonymise");
      assertThat(executor.run(s.tenant(), false).actions()).as("each window once").isEmpty();
    }
  }
}
