package dev.privacykit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditLogConfig;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.audit.ShardPlan;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;

/**
 * The service's audit log over {@code audit.shards}: tenants routed to the shard the plan places
 * them on, the shard count fixed at the first start (another count, or sharding a log that already
 * holds entries in one tree, refused naming the setting), and what spans the log (size, verify,
 * prune) summed over every shard. On H2 and PostgreSQL.
 */
class AuditTreesTest {
  private static final AtomicInteger FRESH = new AtomicInteger();
  private static final List<Database> VIEWS = new CopyOnWriteArrayList<>();
  private static final CheckpointSigner SIGNER = CheckpointSigner.generate("trees.test/audit");
  private static final dev.privacykit.crypto.RootKey ROOT = RootKeys.ephemeral();

  @AfterEach
  void closeViews() {
    VIEWS.forEach(Database::close);
    VIEWS.clear();
  }

  /** A migrated schema with its installation row, of its own for one test. */
  private static Database fresh(TestDatabase test) {
    Database db = test.database();
    String base = db.schema() == null ? "pk_trees" : db.schema();
    Database view = db.inSchema(base + "_t" + FRESH.incrementAndGet());
    view.migrate();
    Installation.ensure(view);
    VIEWS.add(view);
    return view;
  }

  private static Consumer<AuditLogConfig> config(Database db) {
    SubjectKeys keys = SubjectKeys.open(db, ROOT);
    return c -> c.origin("trees.test/audit").signer(SIGNER).subjectKeys(keys);
  }

  private static AuditEntry entry(String tenant, int n) {
    return AuditEntry.builder(tenant, "svc:orders", Action.READ)
        .subject("subj_" + n)
        .purpose("order_fulfilment")
        .build();
  }

  @DatabaseTest
  void tenantsGoToTheirPlacedShard_andWhatSpansTheLogSumsEveryShard(TestDatabase test) {
    Database db = fresh(test);
    ShardPlan plan = ShardPlan.hashed(4);
    Set<Integer> used = new HashSet<>();
    try (AuditTrees trees = AuditTrees.open(db, 4, config(db))) {
      assertThat(trees.shards()).isPresent();
      assertThat(trees.all()).hasSize(5); // four shards and the top-level log
      assertThat(trees.first()).isSameAs(trees.shards().get().shard(0));
      assertThat(trees.anchor()).isSameAs(trees.shards().get().top());
      for (int i = 0; i < 40; i++) {
        String tenant = "tenant-" + (i % 10);
        int placed = plan.placement(tenant, Instant.now());
        assertThat(trees.shardOf(tenant)).isEqualTo(placed);
        AuditLog log = trees.forTenant(tenant);
        assertThat(log).isSameAs(trees.shards().get().shard(placed));
        log.append(entry(tenant, i)).join();
        used.add(placed);
      }
      assertThat(used).as("ten tenants spread over several shards").hasSizeGreaterThan(2);
      trees.shards().get().sync().join();
      assertThat(trees.size()).isEqualTo(40);
      for (int id = 0; id < 4; id++) {
        AuditLog shard = trees.shards().get().shard(id);
        int shardId = id;
        shard
            .query(dev.privacykit.audit.AuditQuery.tenant("tenant-0").limit(100))
            .forEach(r -> assertThat(plan.placement("tenant-0", Instant.now())).isEqualTo(shardId));
      }
      trees.checkpointNow();
      assertThat(trees.verify(false).ok()).isTrue();
      assertThat(trees.verify(false).entries()).isGreaterThanOrEqualTo(40);
      assertThat(trees.verify(true).ok()).isTrue();
      assertThat(trees.lastVerification()).hasValueSatisfying(r -> assertThat(r.ok()).isTrue());
    }
  }

  @DatabaseTest
  void theShardCountIsFixedAtTheFirstStart(TestDatabase test) {
    Database db = fresh(test);
    try (AuditTrees trees = AuditTrees.open(db, 4, config(db))) {
      trees.forTenant("acme").append(entry("acme", 1)).join();
    }
    for (int other : new int[] {1, 2, 8}) {
      assertThatThrownBy(() -> AuditTrees.open(db, other, config(db)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("audit.shards")
          .hasMessageContaining("started with 4");
    }
    try (AuditTrees again = AuditTrees.open(db, 4, config(db))) {
      AuditLog log = again.forTenant("acme");
      log.sync().join();
      assertThat(log.size()).isEqualTo(1);
    }
  }

  @DatabaseTest
  void aSingleTreeLogWithEntries_isNotSharded_andOutOfRangeCountsAreRefused(TestDatabase test) {
    Database db = fresh(test);
    try (AuditTrees one = AuditTrees.open(db, 1, config(db))) {
      assertThat(one.shards()).isEmpty();
      assertThat(one.all()).containsExactly(one.first());
      one.forTenant("acme").append(entry("acme", 1)).join();
    }
    // A database from before the plan was stored: one tree with entries, no plan.
    Jdbis.of(db).useHandle(h -> h.execute("UPDATE installation SET audit_shard_plan = NULL"));
    assertThatThrownBy(() -> AuditTrees.open(db, 4, config(db)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("audit.shards")
        .hasMessageContaining("already holds entries");
    String stored = AuditTrees.pinnedPlan(db);
    assertThat(stored).as("a refused start pins nothing").isNull();
    try (AuditTrees one = AuditTrees.open(db, 1, config(db))) {
      assertThat(one.size()).isEqualTo(1);
    }
    for (int bad : new int[] {0, -1, 17}) {
      assertThatThrownBy(() -> AuditTrees.open(db, bad, config(db)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("audit.shards")
          .hasMessageContaining("must be 1 to 16");
    }
  }
}
