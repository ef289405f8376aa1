package dev.privacykit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.audit.internal.Merkle;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Shards, the top-level log and shard proofs, on H2 and PostgreSQL. */
class AuditShardsTest {
  static final String ORIGIN = "test.privacykit.dev/audit";

  private static final java.util.concurrent.atomic.AtomicInteger FRESH =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * A migrated schema of its own for one test (the class's database is shared by its tests, and a
   * sharded log makes schemas named after its database's).
   */
  static Database fresh(Database db) {
    String base = db.schema() == null ? "pk_shards" : db.schema();
    Database view = db.inSchema(base + "_t" + FRESH.incrementAndGet());
    view.migrate();
    VIEWS.add(view);
    return view;
  }

  private static final List<Database> VIEWS = new java.util.concurrent.CopyOnWriteArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void closeViews() {
    VIEWS.forEach(Database::close);
    VIEWS.clear();
  }

  static AuditShards open(Database db, ShardPlan plan) {
    SubjectKeys keys = SubjectKeys.open(db, Logs.ROOT);
    return AuditShards.open(
        db,
        plan,
        c ->
            c.origin(ORIGIN)
                .signer(Logs.SIGNER)
                .subjectKeys(keys)
                .checkpointInterval(Duration.ofMillis(100)));
  }

  static AuditEntry entry(String tenant, int n) {
    return AuditEntry.builder(tenant, "svc:orders", Action.READ)
        .subject("subj_" + n)
        .purpose("order_fulfilment")
        .body("{\"n\":" + n + "}")
        .build();
  }

  @DatabaseTest
  void tenantsStayOnTheirShard_eachShardGapless_everyProofVerifiesOffline(Database shared) {
    try (AuditShards log = open(fresh(shared), ShardPlan.hashed(4).dedicated(4, "bigcorp"))) {
      Map<String, Integer> placed = new HashMap<>();
      Map<Integer, List<Long>> seqs = new HashMap<>();
      List<AuditShards.Ref> refs = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (int t = 0; t < 8; t++) {
          String tenant = t == 7 ? "bigcorp" : "tenant" + t;
          AuditShards.Ref ref = log.append(entry(tenant, round), null).join();
          assertThat(placed.computeIfAbsent(tenant, x -> ref.shard())).isEqualTo(ref.shard());
          seqs.computeIfAbsent(ref.shard(), x -> new ArrayList<>()).add(ref.seq());
          refs.add(ref);
        }
      }
      assertThat(placed.get("bigcorp")).isEqualTo(4);
      assertThat(placed.entrySet())
          .filteredOn(e -> !e.getKey().equals("bigcorp"))
          .allSatisfy(e -> assertThat(e.getValue()).isBetween(0, 3));
      assertThat(seqs.keySet().size()).isGreaterThan(2); // spread over several shards
      seqs.forEach(
          (shard, list) ->
              assertThat(list).containsExactlyElementsOf(sequence(list.size()))); // gapless
      for (AuditShards.Ref ref : refs) {
        ShardProof proof = log.prove(ref.shard(), ref.seq());
        proof.verifyOffline(log.topOrigin(), log.verifierKey());
        assertThat(proof.entry().leafHash())
            .isEqualTo(log.shard(ref.shard()).read(ref.seq()).orElseThrow().leafHash());
      }
      assertThat(log.verify().ok()).isTrue();
    }
  }

  @DatabaseTest
  void aProofRefusesEveryAlteration(Database shared) {
    try (AuditShards log = open(fresh(shared), ShardPlan.hashed(3))) {
      for (int i = 0; i < 20; i++) {
        log.append(entry("tenant" + (i % 5), i), null).join();
      }
      AuditShards.Ref ref = log.append(entry("tenant1", 99), null).join();
      ShardProof proof = log.prove(ref.shard(), ref.seq());
      String key = log.verifierKey();
      proof.verifyOffline(log.topOrigin(), key);

      byte[] root = proof.shardRoot();
      root[0] ^= 1;
      assertRefused(withShardRoot(proof, root), log.topOrigin(), key, "does not record");
      byte[] otherLeaf = proof.entry().leafHash().clone();
      otherLeaf[31] ^= 1;
      InclusionProof forged =
          new InclusionProof(
              proof.entry().seq(), proof.entry().treeSize(), otherLeaf, proof.entry().path());
      assertRefused(withEntry(proof, forged), log.topOrigin(), key, "does not lead to shard");
      // The same proof claimed for another shard: the recorded leaf names the shard.
      int other = (proof.shard() + 1) % 3;
      ShardProof moved =
          new ShardProof(
              other,
              AuditShards.shardOrigin(ORIGIN, other),
              proof.shardRoot(),
              proof.entry(),
              proof.topRecordedAt(),
              proof.topSalt(),
              proof.top(),
              proof.topCheckpoint());
      assertRefused(moved, log.topOrigin(), key, "does not record");
      ShardProof later =
          new ShardProof(
              proof.shard(),
              proof.shardOrigin(),
              proof.shardRoot(),
              proof.entry(),
              proof.topRecordedAt().plusMillis(1),
              proof.topSalt(),
              proof.top(),
              proof.topCheckpoint());
      assertRefused(later, log.topOrigin(), key, "does not record");
      assertRefused(proof, "another.example/audit/top", key, "not another.example");
      CheckpointSigner stranger = CheckpointSigner.generate(ORIGIN + "/top");
      assertThatThrownBy(() -> proof.verifyOffline(log.topOrigin(), stranger.verifierKey()))
          .isInstanceOf(AuditLogException.class);
    }
  }

  @DatabaseTest
  void shardAndTopRoots_matchAnRfc6962ReferenceTree(Database shared) {
    try (AuditShards log = open(fresh(shared), ShardPlan.hashed(2))) {
      for (int i = 0; i < 13; i++) {
        log.append(entry("tenant" + i, i), null).join();
      }
      Checkpoint topCheckpoint = log.recordNow();
      for (int id : log.ids()) {
        AuditLog shard = log.shard(id);
        Checkpoint checkpoint = shard.latestCheckpoint().orElseThrow();
        assertThat(reference(leaves(shard, checkpoint.size()))).isEqualTo(checkpoint.root());
      }
      assertThat(reference(leaves(log.top(), topCheckpoint.size())))
          .isEqualTo(topCheckpoint.root());
    }
  }

  @DatabaseTest
  void aSingleTreeDatabase_becomesShardZero_withoutRewritingAnEntry(Database shared) {
    Database db = fresh(shared);
    List<byte[]> leaves = new ArrayList<>();
    Checkpoint before;
    InclusionProof oldProof;
    try (AuditLog single = Logs.open(db)) {
      for (int i = 0; i < 6; i++) {
        single.append(entry("acme", i)).join();
      }
      before = single.checkpoint();
      oldProof = single.inclusionProof(2, before.size());
      for (long seq = 0; seq < 6; seq++) {
        leaves.add(single.read(seq).orElseThrow().leafHash());
      }
    }
    try (AuditShards log = open(db, ShardPlan.hashed(3))) {
      AuditLog zero = log.shard(0);
      assertThat(zero.size()).isEqualTo(6);
      for (long seq = 0; seq < 6; seq++) {
        assertThat(zero.read(seq).orElseThrow().leafHash()).isEqualTo(leaves.get((int) seq));
      }
      // The checkpoint and proof handed out before sharding still hold against shard 0.
      Checkpoint same = zero.checkpointAt(before.size()).orElseThrow();
      assertThat(same.note()).isEqualTo(before.note());
      oldProof.verifyOffline(before.note(), log.verifierKey());
      for (int i = 0; i < 9; i++) {
        log.append(entry("tenant" + i, i), null).join();
      }
      log.prove(0, 2).verifyOffline(log.topOrigin(), log.verifierKey());
      assertThat(log.verify().ok()).isTrue();
      assertThat(zero.consistencyProof(6, zero.size()).path()).isNotNull();
    }
  }

  @DatabaseTest
  void aClosedShard_refusesAppends_staysProvable_andTheNextWindowTakesOver(Database shared)
      throws Exception {
    Database db = fresh(shared);
    Instant turn = Instant.now().plusSeconds(3); // room for opening the log on a busy machine
    ShardPlan plan =
        ShardPlan.hashed(1)
            .dedicated(1, "acme")
            .window(1, null, turn)
            .with(new ShardPlan.Shard(2, Set.of("acme"), turn, null));
    try (AuditShards log = open(db, plan)) {
      AuditShards.Ref early = log.append(entry("acme", 1), null).join();
      assertThat(early.shard()).isEqualTo(1);
      Thread.sleep(Math.max(0, Duration.between(Instant.now(), turn).toMillis() + 50));
      AuditShards.Ref late = log.append(entry("acme", 2), null).join();
      assertThat(late.shard()).isEqualTo(2);
      assertThatThrownBy(() -> log.shard(1).append(entry("acme", 3)).join())
          .hasCauseInstanceOf(AuditLogException.ShardClosed.class);
      assertThatThrownBy(() -> log.shard(1).reserve("acme"))
          .isInstanceOf(AuditLogException.ShardClosed.class);
      assertThat(log.shard(1).size()).isEqualTo(1);
      log.prove(1, early.seq()).verifyOffline(log.topOrigin(), log.verifierKey());
      assertThat(log.plan().holding("acme")).containsExactly(0, 1, 2);
      assertThat(log.verify().ok()).isTrue();
    }
  }

  @DatabaseTest
  void aDedicatedTenantWithNoOpenShard_isRefused_notSpilledOntoSharedShards(Database shared) {
    Database db = fresh(shared);
    ShardPlan plan =
        ShardPlan.hashed(1).dedicated(1, "acme").window(1, null, Instant.now().minusSeconds(1));
    try (AuditShards log = open(db, plan)) {
      assertThatThrownBy(() -> log.append(entry("acme", 1), null).join())
          .hasCauseInstanceOf(AuditLogException.class)
          .hasMessageContaining("no audit log shard");
      assertThat(log.shard(0).size()).isZero();
    }
  }

  @DatabaseTest
  void appendsToAnotherShard_doNotWaitForAShardWhoseHeadIsLocked(TestDatabase test)
      throws Exception {
    Database db = fresh(test.database());
    try (AuditShards log = open(db, ShardPlan.hashed(3))) {
      log.shard(1).append(entry("x", 0)).join();
      try (Connection c = test.ownerConnection()) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.execute("SELECT tree_size FROM " + db.schema() + "_audit_s1.audit_state FOR UPDATE");
        }
        CompletableFuture<Long> blocked = log.shard(1).append(entry("x", 1));
        for (int i = 0; i < 5; i++) {
          assertThat(log.shard(2).append(entry("y", i)).get(5, TimeUnit.SECONDS)).isEqualTo(i);
          assertThat(log.shard(0).append(entry("z", i)).get(5, TimeUnit.SECONDS)).isEqualTo(i);
        }
        assertThatThrownBy(() -> blocked.get(300, TimeUnit.MILLISECONDS))
            .isInstanceOf(TimeoutException.class);
        c.rollback();
        assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo(1);
      }
      assertThat(log.verify().ok()).isTrue();
    }
  }

  @DatabaseTest
  void twoProcesses_recordEachShardCheckpointOnce(TestDatabase test) {
    Database db = fresh(test.database());
    try (AuditShards first = open(db, ShardPlan.hashed(2));
        Database otherPool = test.openAnother();
        Database other = otherPool.inSchema(db.schema());
        AuditShards second = open(other, ShardPlan.hashed(2))) {
      for (int i = 0; i < 10; i++) {
        (i % 2 == 0 ? first : second).append(entry("tenant" + i, i), null).join();
      }
      first.sync().join();
      second.sync().join();
      Checkpoint a = first.shard(1).checkpoint();
      long topA = first.recorder().record(1, a).join();
      long topB = second.recorder().record(1, a).join();
      assertThat(topB).isEqualTo(topA);
      assertThat(first.verify().ok()).isTrue();
      assertThat(second.prove(1, 0).top().treeSize()).isGreaterThan(topA);
    }
  }

  @DatabaseTest
  void tamperingWithOneShard_isFoundInThatShardOnly_andAForgedTopEntryIsFound(TestDatabase test)
      throws Exception {
    Database db = fresh(test.database());
    try (AuditShards log = open(db, ShardPlan.hashed(3))) {
      for (int i = 0; i < 12; i++) {
        log.shard(i % 3).append(entry("t" + i, i)).join();
      }
      log.recordNow();
      assertThat(log.verify().ok()).isTrue();
      String shard2 = db.schema() + "_audit_s2";
      asOwnerWithoutTriggers(
          test,
          shard2,
          "UPDATE " + shard2 + ".audit_entries SET purpose = 'marketing' WHERE seq = 1");
      ShardVerification broken = log.verify();
      assertThat(broken.ok()).isFalse();
      assertThat(broken.shards().get(2).failure())
          .hasValueSatisfying(
              f -> {
                assertThat(f.kind()).isEqualTo(Verification.Kind.LEAF);
                assertThat(f.seq()).isEqualTo(1);
              });
      assertThat(broken.shards().get(0).ok()).isTrue();
      assertThat(broken.shards().get(1).ok()).isTrue();
      assertThat(broken.top().ok()).isTrue();
      // As one result (what the service reports): the shard's failure, named, at its seq.
      Verification combined = broken.combined();
      assertThat(combined.failure())
          .hasValueSatisfying(
              f -> {
                assertThat(f.kind()).isEqualTo(Verification.Kind.LEAF);
                assertThat(f.seq()).isEqualTo(1);
                assertThat(f.calculated()).startsWith("(shard 2) ");
              });
      assertThat(combined.entries())
          .isEqualTo(
              broken.top().entries()
                  + broken.shards().values().stream().mapToLong(Verification::entries).sum());
      // An entry in the top-level log claiming a tree shard 1 never signed.
      log.top()
          .append(
              ShardCheckpointEntry.entry(1, AuditShards.shardOrigin(ORIGIN, 1), 2, new byte[32]))
          .join();
      assertThat(log.verify().problems())
          .anySatisfy(p -> assertThat(p).contains("root the shard never signed"));
    }
  }

  @DatabaseTest
  void aProofAgainstAStoredTopCheckpoint_verifies_andAnEntryItDoesNotCover_isRefused(
      Database shared) {
    try (AuditShards log = open(fresh(shared), ShardPlan.hashed(2))) {
      log.shard(1).append(entry("t", 0)).join();
      Checkpoint pinned = log.recordNow(); // as a witness would cosign it
      long later = log.shard(1).append(entry("t", 1)).join();
      ShardProof proof = log.prove(1, 0, pinned.size());
      proof.verifyOffline(log.topOrigin(), log.verifierKey());
      assertThat(proof.topCheckpoint()).isEqualTo(pinned.note());
      assertThatThrownBy(() -> log.prove(1, later, pinned.size()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not in the shard's tree");
      assertThatThrownBy(() -> log.prove(1, 0, pinned.size() + 1000))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no top-level checkpoint");
      assertThatThrownBy(() -> log.prove(7, 0)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> log.prove(1, later + 5))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @org.junit.jupiter.api.Test
  void aPlanRefusesShardIdsWindowsAndPlansItCannotHonour() {
    assertThatThrownBy(() -> ShardPlan.hashed(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ShardPlan.Shard(-1, Set.of(), null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ShardPlan.Shard(ShardPlan.MAX_SHARD + 1, Set.of(), null, null))
        .isInstanceOf(IllegalArgumentException.class);
    Instant t = Instant.parse("2027-01-01T00:00:00Z");
    assertThatThrownBy(() -> new ShardPlan.Shard(1, Set.of(), t, t))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ShardPlan.hashed(1).dedicated(1))
        .isInstanceOf(IllegalArgumentException.class);
    // No shard 0: a single-tree database would lose its tables' place.
    ShardPlan noZero = ShardPlan.hashed(2).window(0, null, t);
    assertThat(noZero.placement("acme", t)).isEqualTo(1);
    assertThatThrownBy(() -> ShardPlan.hashed(1).window(0, null, t).placement("acme", t))
        .isInstanceOf(AuditLogException.class);
  }

  /** Runs {@code sql} as the owner with the append-only triggers of {@code schema} switched off. */
  static void asOwnerWithoutTriggers(TestDatabase test, String schema, String sql)
      throws Exception {
    try (Connection c = test.ownerConnection();
        Statement s = c.createStatement()) {
      String table = schema + ".audit_entries";
      if (postgres(test)) {
        s.execute("ALTER TABLE " + table + " DISABLE TRIGGER ALL");
        s.execute(sql);
        s.execute("ALTER TABLE " + table + " ENABLE ALWAYS TRIGGER audit_entries_append_only");
        s.execute("ALTER TABLE " + table + " ENABLE ALWAYS TRIGGER audit_entries_no_truncate");
      } else {
        s.execute("DROP TRIGGER " + schema + ".audit_entries_append_only");
        s.execute(sql);
        s.execute(
            "CREATE TRIGGER "
                + schema
                + ".audit_entries_append_only BEFORE UPDATE, DELETE ON "
                + table
                + " FOR EACH ROW CALL 'dev.privacykit.audit.internal.H2AppendOnlyTrigger'");
      }
    }
  }

  static List<byte[]> leaves(AuditLog log, long size) {
    List<byte[]> out = new ArrayList<>();
    for (long seq = 0; seq < size; seq++) {
      out.add(log.read(seq).orElseThrow().leafHash());
    }
    return out;
  }

  /** RFC 6962 section 2.1 MTH, written from the RFC's definition, independently of Merkle. */
  static byte[] reference(List<byte[]> leafHashes) {
    if (leafHashes.size() == 1) {
      return leafHashes.get(0);
    }
    int k = Integer.highestOneBit(leafHashes.size() - 1);
    byte[] left = reference(leafHashes.subList(0, k));
    byte[] right = reference(leafHashes.subList(k, leafHashes.size()));
    byte[] node = new byte[65];
    node[0] = 1;
    System.arraycopy(left, 0, node, 1, 32);
    System.arraycopy(right, 0, node, 33, 32);
    return Merkle.sha256(node);
  }

  static List<Long> sequence(int n) {
    List<Long> out = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }

  static ShardProof withShardRoot(ShardProof p, byte[] root) {
    return new ShardProof(
        p.shard(),
        p.shardOrigin(),
        root,
        p.entry(),
        p.topRecordedAt(),
        p.topSalt(),
        p.top(),
        p.topCheckpoint());
  }

  static ShardProof withEntry(ShardProof p, InclusionProof entry) {
    return new ShardProof(
        p.shard(),
        p.shardOrigin(),
        p.shardRoot(),
        entry,
        p.topRecordedAt(),
        p.topSalt(),
        p.top(),
        p.topCheckpoint());
  }

  static void assertRefused(ShardProof proof, String topOrigin, String key, String message) {
    assertThatThrownBy(() -> proof.verifyOffline(topOrigin, key))
        .isInstanceOf(AuditLogException.class)
        .hasMessageContaining(message);
  }

  static boolean postgres(TestDatabase test) {
    return test.dialect() == Dialect.POSTGRESQL;
  }
}
