package dev.privacykit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Handle;

class AuditLogTest {

  private static String subject() {
    return "subj_" + UUID.randomUUID();
  }

  private static void assertContiguous(Set<Long> seqs) {
    TreeSet<Long> sorted = new TreeSet<>(seqs);
    assertThat(sorted.last() - sorted.first() + 1).isEqualTo(sorted.size());
  }

  @DatabaseTest
  void eightProducers_getGaplessSeqs_andTheLogVerifies(Database db) throws Exception {
    try (AuditLog log = Logs.open(db)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<List<Long>>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(
            pool.submit(
                () -> {
                  List<CompletableFuture<Long>> mine = new ArrayList<>();
                  for (int i = 0; i < 150; i++) {
                    mine.add(log.append(Logs.read(subject())));
                  }
                  return mine.stream().map(CompletableFuture::join).toList();
                }));
      }
      Set<Long> seqs = new TreeSet<>();
      for (Future<List<Long>> f : futures) {
        seqs.addAll(f.get());
      }
      pool.shutdown();
      assertThat(seqs).hasSize(1200);
      assertContiguous(seqs);
      Verification verification = log.verify();
      assertThat(verification.failure()).isEmpty();
      assertThat(verification.entries()).isEqualTo(log.size());
    }
  }

  @DatabaseTest
  void verify_whileAppendsGoOn_isNeverAFalseBreak(Database db) throws Exception {
    try (AuditLog log = Logs.open(db)) {
      log.append(Logs.read(subject())).join();
      java.util.concurrent.atomic.AtomicBoolean writing =
          new java.util.concurrent.atomic.AtomicBoolean(true);
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                while (writing.get()) {
                  log.append(Logs.read(subject())).join();
                }
              });
      try {
        for (int run = 0; run < 20; run++) {
          Verification verification = log.verify();
          assertThat(verification.failure()).as("run " + run).isEmpty();
          assertThat(verification.entries()).isPositive();
        }
      } finally {
        writing.set(false);
        writer.join();
      }
      assertThat(log.verify().entries()).isEqualTo(log.size());
    }
  }

  @DatabaseTest
  void twoInstancesOnOneDatabase_keepOneGaplessOrder(TestDatabase test) throws Exception {
    try (Database otherPool = test.openAnother();
        AuditLog first = Logs.open(test.database());
        AuditLog second = Logs.open(otherPool)) {
      List<CompletableFuture<Long>> all = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        all.add(first.append(Logs.read(subject())));
        all.add(second.append(Logs.read(subject())));
      }
      Set<Long> seqs = new TreeSet<>();
      all.forEach(f -> seqs.add(f.join()));
      assertThat(seqs).hasSize(600);
      assertContiguous(seqs);
      assertThat(first.verify().failure()).isEmpty();
    }
  }

  @DatabaseTest
  void updateDeleteAndTruncate_areRejectedByTheDatabase(TestDatabase test) throws Exception {
    try (AuditLog log = Logs.open(test.database())) {
      long seq = log.append(Logs.read(subject())).join();
      var jdbi = Jdbis.of(test.database());
      for (String sql :
          List.of(
              "UPDATE audit_entries SET actor = 'mallory' WHERE seq = " + seq,
              "DELETE FROM audit_entries WHERE seq = " + seq,
              "UPDATE audit_bodies SET body = body WHERE seq = " + seq,
              "DELETE FROM audit_bodies WHERE seq = " + seq,
              "DELETE FROM audit_checkpoints",
              "UPDATE audit_subtrees SET hash = hash")) {
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(sql)))
            .as(sql)
            .hasStackTraceContaining("the audit log is append-only");
      }
      if (test.dialect() == dev.privacykit.storage.Dialect.POSTGRESQL) {
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("TRUNCATE audit_entries")))
            .hasStackTraceContaining("the audit log is append-only");
        // replication mode does not skip ENABLE ALWAYS triggers
        assertThatThrownBy(
                () ->
                    jdbi.useTransaction(
                        h -> {
                          h.execute("SET LOCAL session_replication_role = replica");
                          h.execute("DELETE FROM audit_entries WHERE seq = " + seq);
                        }))
            .hasStackTraceContaining("the audit log is append-only");
      }
      assertThat(log.verify().failure()).isEmpty();
    }
  }

  @DatabaseTest
  void proofs_checkOfflineAgainstSignedCheckpoints(Database db) throws Exception {
    try (AuditLog log = Logs.open(db)) {
      long seq = log.append(Logs.read(subject())).join();
      Checkpoint older = log.checkpoint();
      for (int i = 0; i < 20; i++) {
        log.append(Logs.read(subject())).join();
      }
      Checkpoint newer = log.checkpoint();
      InclusionProof proof = log.inclusionProof(seq, newer.size());
      // an auditor holds only the note, the verifier key and the entry itself
      proof.verifyOffline(newer.note(), log.verifierKey());
      AuditRecord record = log.read(seq).orElseThrow();
      assertThat(record.leafHash()).isEqualTo(proof.leafHash());
      assertThat(proof.verify(newer)).isTrue();

      ConsistencyProof consistency = log.consistencyProof(older.size(), newer.size());
      assertThat(consistency.verify(older, newer)).isTrue();
      assertThat(consistency.verify(newer, newer)).isFalse();

      InclusionProof forged = new InclusionProof(seq, proof.treeSize(), new byte[32], proof.path());
      assertThatThrownBy(() -> forged.verifyOffline(newer.note(), log.verifierKey()))
          .isInstanceOf(AuditLogException.class)
          .hasMessageStartingWith(
              "inclusion proof for seq " + seq + " does not match: calculated ");
      String otherKey = CheckpointSigner.generate("test.privacykit.dev/audit").verifierKey();
      assertThatThrownBy(() -> proof.verifyOffline(newer.note(), otherKey))
          .hasMessage("checkpoint signature does not verify with key test.privacykit.dev/audit");
      String edited =
          newer.note().replaceFirst("\n" + newer.size() + "\n", "\n" + (newer.size() + 1) + "\n");
      assertThatThrownBy(() -> Checkpoint.verify(edited, log.verifierKey()))
          .isInstanceOf(AuditLogException.class);
    }
  }

  /** DPDP Rules 2025, rules 6(1)(e) and 8(3): a minimum retention no prune can cut into. */
  @DatabaseTest
  void prune_neverCutsIntoTheMinimumRetention(Database db) {
    try (AuditLog log = Logs.open(db, c -> c.minimumRetention(java.time.Period.ofYears(1)))) {
      String subject = subject();
      long seq = log.append(Logs.read(subject)).join();
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> log.prune(java.time.Instant.now().minus(java.time.Duration.ofDays(30)), "ops"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("P1Y");
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> log.prune(java.time.Instant.now().plusSeconds(60), "ops"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(log.read(seq).orElseThrow().body()).isEqualTo(AuditRecord.BodyState.PRESENT);
      assertThat(log.prune(java.time.Instant.now().minus(java.time.Duration.ofDays(400)), "ops"))
          .isZero();
      assertThat(log.verify().ok()).isTrue();
    }
  }

  @DatabaseTest
  void checkpoints_areSignedWhileEntriesFlow(Database db) throws Exception {
    try (AuditLog log = Logs.open(db)) {
      log.append(Logs.read(subject())).join();
      long size = log.size();
      long deadline = System.currentTimeMillis() + 3_000;
      while (log.latestCheckpoint().map(Checkpoint::size).orElse(0L) < size
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      Checkpoint latest = log.latestCheckpoint().orElseThrow();
      assertThat(latest.size()).isGreaterThanOrEqualTo(size);
      assertThat(latest.note()).startsWith("test.privacykit.dev/audit\n" + latest.size() + "\n");
      assertThat(latest.note()).contains("\n\n\u2014 test.privacykit.dev/audit ");
      java.time.Instant signedAt = log.checkpointSignedAt(latest.size()).orElseThrow();
      assertThat(signedAt)
          .isBetween(java.time.Instant.now().minusSeconds(10), java.time.Instant.now());
      assertThat(log.checkpointSignedAt(latest.size() + 1_000)).isEmpty();
    }
  }

  @DatabaseTest
  void bodies_areEncrypted_readBack_andUnreadableAfterShred(Database db) throws Exception {
    try (AuditLog log = Logs.open(db)) {
      String subject = subject();
      long seq = log.append(Logs.read(subject)).join();
      AuditRecord record = log.read(seq).orElseThrow();
      assertThat(record.body()).isEqualTo(AuditRecord.BodyState.PRESENT);
      assertThat(record.entry().body()).isEqualTo("{\"ip\":\"203.0.113.7\"}");
      byte[] stored =
          Jdbis.of(db)
              .withHandle(
                  h ->
                      h.createQuery("SELECT body FROM audit_bodies WHERE seq = :s")
                          .bind("s", seq)
                          .mapTo(byte[].class)
                          .one());
      assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1))
          .doesNotContain("203.0.113.7");

      SubjectKeys.open(db, Logs.ROOT).shred("acme", subject);
      AuditRecord shredded = log.read(seq).orElseThrow();
      assertThat(shredded.body()).isEqualTo(AuditRecord.BodyState.SHREDDED);
      assertThat(shredded.entry().body()).isNull();
      assertThat(log.verify().failure()).isEmpty();
      Checkpoint checkpoint = log.checkpoint();
      log.inclusionProof(seq, checkpoint.size())
          .verifyOffline(checkpoint.note(), log.verifierKey());
    }
  }

  @DatabaseTest
  void prune_dropsOldBodies_keepsProofsAndVerification(Database db) throws Exception {
    try (AuditLog log = Logs.open(db)) {
      long old = log.append(Logs.read(subject())).join();
      Thread.sleep(20);
      Instant cut = Instant.now();
      Thread.sleep(20);
      long recent = log.append(Logs.read(subject())).join();
      long deleted = log.prune(cut, "svc:retention");
      assertThat(deleted).isGreaterThanOrEqualTo(1);
      assertThat(log.read(old).orElseThrow().body()).isEqualTo(AuditRecord.BodyState.PRUNED);
      assertThat(log.read(recent).orElseThrow().body()).isEqualTo(AuditRecord.BodyState.PRESENT);
      assertThat(log.query(AuditQuery.tenant("_system").action(Action.PRUNE))).isNotEmpty();
      assertThat(log.verify().failure()).isEmpty();
      Checkpoint checkpoint = log.checkpoint();
      log.inclusionProof(old, checkpoint.size())
          .verifyOffline(checkpoint.note(), log.verifierKey());
    }
  }

  @DatabaseTest
  void idempotencyKeys_replayGivesTheOriginalSeqs_andAConflictRefusesTheWholeGroup(Database db) {
    try (AuditLog log = Logs.open(db)) {
      String s = subject();
      long first = log.append(Logs.read(s), "key-1").join();
      assertThat(log.append(Logs.read(s), "key-1").join()).isEqualTo(first);
      long size = log.size();
      List<Long> seqs =
          log.appendAll(
                  List.of(Logs.read(s), Logs.read(s), Logs.read(s)),
                  java.util.Arrays.asList("key-1", "key-2", "key-2"))
              .join();
      assertThat(seqs.get(0)).isEqualTo(first);
      assertThat(seqs.get(2)).isEqualTo(seqs.get(1));
      assertThat(log.size()).as("only key-2 was new").isEqualTo(size + 1);
      AuditEntry other = AuditEntry.builder("acme", "agent", Action.WRITE).subject(s).build();
      long before = log.size();
      assertThatThrownBy(
              () ->
                  log.appendAll(
                          List.of(Logs.read(s), other), java.util.Arrays.asList("key-3", "key-1"))
                      .join())
          .hasCauseInstanceOf(AuditLogException.IdempotencyConflict.class)
          .satisfies(
              e ->
                  assertThat(((AuditLogException.IdempotencyConflict) e.getCause()).index())
                      .isEqualTo(1));
      assertThat(log.size()).as("nothing of the refused group").isEqualTo(before);
      assertThat(log.append(Logs.read(s), "key-3").join())
          .as("key-3 was not taken by the refused group")
          .isEqualTo(before);
      assertThat(log.verify().ok()).isTrue();
    }
  }

  @DatabaseTest
  void sync_makesEverythingAppendedBeforeItReadable(Database db) {
    try (AuditLog log = Logs.open(db)) {
      String s = subject();
      List<CompletableFuture<Long>> pending = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        pending.add(log.append(Logs.read(s)));
      }
      log.sync().join();
      assertThat(pending).allMatch(CompletableFuture::isDone);
      assertThat(log.query(AuditQuery.tenant("acme").subject(s).limit(1_000))).hasSize(50);
    }
  }

  @DatabaseTest
  void aGroupLargerThanTheFreeQueue_isRefusedWhole(TestDatabase test) throws Exception {
    // one tenant may take the whole queue here: the capacity is what is tested
    try (AuditLog log = Logs.open(test.database(), c -> c.queueCapacity(100).tenantShare(1))) {
      long before = log.size();
      List<AuditEntry> group = new ArrayList<>();
      for (int i = 0; i < 101; i++) {
        group.add(Logs.read(subject()));
      }
      assertThatThrownBy(() -> log.appendAll(group, List.of()).join())
          .hasCauseInstanceOf(AuditLogException.Overloaded.class);
      assertThat(log.appendAll(group.subList(0, 100), List.of()).join()).hasSize(100);
      assertThat(log.size()).isEqualTo(before + 100);
    }
  }

  @DatabaseTest
  void fullQueue_failsFastWithOverloaded_andLosesNothingQueued(TestDatabase test) throws Exception {
    try (AuditLog log = Logs.open(test.database(), c -> c.queueCapacity(100).tenantShare(1))) {
      log.append(Logs.read(subject())).join();
      Handle blocker = Jdbis.of(test.database()).open();
      List<CompletableFuture<Long>> queued = new ArrayList<>();
      try {
        blocker.begin();
        blocker
            .createQuery("SELECT tree_size FROM audit_state WHERE id = 1 FOR UPDATE")
            .mapTo(Long.class)
            .one();
        CompletableFuture<Long> overflow = null;
        for (int i = 0; i < 2_000 && overflow == null; i++) {
          CompletableFuture<Long> f = log.append(Logs.read(subject()));
          if (f.isCompletedExceptionally()) {
            overflow = f;
          } else {
            queued.add(f);
          }
        }
        assertThat(overflow).isNotNull();
        CompletableFuture<Long> failed = overflow;
        assertThatThrownBy(failed::join)
            .isInstanceOf(CompletionException.class)
            .hasCauseInstanceOf(AuditLogException.Overloaded.class)
            .hasMessageContaining(
                "audit log overloaded: 100 entries are waiting to be written; retry later");
      } finally {
        blocker.rollback();
        blocker.close();
      }
      Set<Long> seqs = new TreeSet<>();
      queued.forEach(f -> seqs.add(f.join()));
      assertThat(seqs).hasSize(queued.size());
      assertContiguous(seqs);
    }
  }

  @DatabaseTest
  void query_filtersAndPages(Database db) throws Exception {
    try (AuditLog log = Logs.open(db)) {
      String subject = subject();
      for (int i = 0; i < 5; i++) {
        log.append(Logs.read(subject)).join();
      }
      log.append(
              AuditEntry.builder("acme", "user:42", Action.DISCLOSE)
                  .subject(subject)
                  .purpose("fraud_prevention")
                  .recipient("bank")
                  .build())
          .join();
      List<AuditRecord> page = log.query(AuditQuery.tenant("acme").subject(subject).limit(3));
      assertThat(page).hasSize(3);
      List<AuditRecord> next =
          log.query(AuditQuery.tenant("acme").subject(subject).limit(3).after(page.get(2).seq()));
      assertThat(next).hasSize(3);
      assertThat(next.get(2).entry().action()).isEqualTo(Action.DISCLOSE);
      assertThat(log.query(AuditQuery.tenant("acme").subject(subject).purpose("fraud_prevention")))
          .hasSize(1);
      assertThat(log.query(AuditQuery.tenant("acme").subject(subject).actor("user:42"))).hasSize(1);
      assertThat(log.query(AuditQuery.tenant("other").subject(subject))).isEmpty();
    }
  }

  @DatabaseTest
  void databaseDown_failsTheFuture_neverHangsOrDrops(TestDatabase test) {
    Database pool = test.openAnother();
    try (AuditLog log = Logs.open(pool)) {
      log.append(Logs.read(subject())).join();
      pool.close();
      CompletableFuture<Long> future = log.append(Logs.read(subject()));
      assertThatThrownBy(() -> future.get(30, java.util.concurrent.TimeUnit.SECONDS))
          .hasCauseInstanceOf(AuditLogException.class)
          .hasMessageContaining("audit entries could not be written");
    }
  }

  @DatabaseTest
  void closedLog_refusesEntries(Database db) {
    AuditLog log = Logs.open(db);
    log.close();
    assertThatThrownBy(() -> log.append(Logs.read(subject())).join())
        .hasCauseInstanceOf(AuditLogException.Closed.class);
  }
}
