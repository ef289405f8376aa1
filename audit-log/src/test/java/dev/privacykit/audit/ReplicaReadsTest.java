package dev.privacykit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.ReplicaCatchUp;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.StreamingReplica;
import dev.privacykit.storage.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Listings and reports read from a streaming replica (made by the test with pg_basebackup) once it
 * has replayed the primary's WAL position taken at the read, so they see every entry committed
 * before them; with replay paused they read the primary and still see everything; with the replica
 * stopped, too, without waiting on it. A sharded log reads each shard's schema on the replica.
 * PostgreSQL only: H2 has no replicas, and is refused as one.
 */
class ReplicaReadsTest {
  private static final java.util.concurrent.atomic.AtomicInteger FRESH =
      new java.util.concurrent.atomic.AtomicInteger();
  private static final List<Database> VIEWS = new java.util.concurrent.CopyOnWriteArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void closeViews() {
    VIEWS.forEach(Database::close);
    VIEWS.clear();
  }

  /** A migrated schema of this test's own (dropped with the class's schema). */
  private static Database fresh(TestDatabase pg) {
    Database view = pg.database().inSchema(pg.schema() + "_r" + FRESH.incrementAndGet());
    view.migrate();
    VIEWS.add(view);
    return view;
  }

  /** The replica's view of {@code primary}'s schema, once the replica has replayed its creation. */
  private static Database replicaOf(StreamingReplica replica, Database primary) {
    String lsn = ReplicaCatchUp.primaryLsn(primary.dataSource());
    assertThat(ReplicaCatchUp.waitFor(lsn, replica.dataSource(null), Duration.ofSeconds(30)))
        .isTrue();
    return Database.open(
        replica.url(), c -> c.schema(primary.schema()).connectionTimeout(Duration.ofSeconds(1)));
  }

  private static AuditEntry entry(String tenant, int n) {
    return AuditEntry.builder(tenant, "svc:orders", Action.READ)
        .subject("subj_" + n)
        .purpose("order_fulfilment")
        .build();
  }

  @DatabaseTest(Dialect.POSTGRESQL)
  void listingsAndReports_readTheReplicaOnceCaughtUp_elseThePrimary_andMissNothing(TestDatabase pg)
      throws Exception {
    StreamingReplica.assumeAvailable();
    Database db = fresh(pg);
    try (StreamingReplica replica = StreamingReplica.start()) {
      Database onReplica = replicaOf(replica, db);
      try (AuditLog log = Logs.open(db, c -> c.readReplica(onReplica, Duration.ofMillis(300)))) {
        for (int i = 0; i < 10; i++) {
          log.append(entry("acme", i)).join();
        }
        log.sync().join();
        assertThat(log.query(AuditQuery.tenant("acme").limit(100))).hasSize(10);
        assertThat(log.replicaReads()).containsExactly(1, 0);

        try (Connection standby = replica.connection();
            Statement control = standby.createStatement()) {
          control.execute("SELECT pg_wal_replay_pause()");
          for (int i = 10; i < 15; i++) {
            log.append(entry("acme", i)).join();
          }
          log.sync().join();
          // The replica is behind: the read waits, then goes to the primary, and misses nothing.
          assertThat(log.query(AuditQuery.tenant("acme").limit(100))).hasSize(15);
          assertThat(log.replicaReads()).containsExactly(1, 1);
          ProcessingSummary summary =
              log.reports().processingSummary("acme", Instant.EPOCH, Instant.now());
          assertThat(summary.rows().stream().mapToLong(ProcessingSummary.Row::entries).sum())
              .isEqualTo(15);
          List<AuditRecord> streamed = new ArrayList<>();
          log.reports().forEach(AuditQuery.tenant("acme"), log.checkpoint(), streamed::add);
          assertThat(streamed).hasSize(15);
          control.execute("SELECT pg_wal_replay_resume()");
        }
        assertThat(log.query(AuditQuery.tenant("acme").limit(100))).hasSize(15);
        long[] counts = log.replicaReads();
        assertThat(counts[0]).as("read on the replica again once it caught up").isGreaterThan(1);

        // The replica stopped: reads go to the primary at once and miss nothing.
        replica.close();
        long started = System.nanoTime();
        assertThat(log.query(AuditQuery.tenant("acme").limit(100))).hasSize(15);
        assertThat(log.query(AuditQuery.tenant("acme").limit(100))).hasSize(15);
        assertThat((System.nanoTime() - started) / 1_000_000)
            .as("the second read does not wait for the stopped replica")
            .isLessThan(3_000);
        assertThat(log.replicaReads()[1]).isGreaterThanOrEqualTo(counts[1] + 2);
      } finally {
        onReplica.close();
      }
    }
  }

  @DatabaseTest(Dialect.POSTGRESQL)
  void aShardedLog_readsEachShardsSchemaOnTheReplica(TestDatabase pg) throws Exception {
    StreamingReplica.assumeAvailable();
    Database db = fresh(pg);
    try (StreamingReplica replica = StreamingReplica.start()) {
      // The shards' schemas are made on the primary first, then replicated.
      AuditShardsTest.open(db, ShardPlan.hashed(3)).close();
      Database onReplica = replicaOf(replica, db);
      try (AuditShards log =
          AuditShards.open(
              db,
              ShardPlan.hashed(3),
              c ->
                  c.origin(AuditShardsTest.ORIGIN)
                      .signer(Logs.SIGNER)
                      .readReplica(onReplica, Duration.ofSeconds(2)))) {
        for (int i = 0; i < 12; i++) {
          log.shard(i % 3).append(entry("t" + (i % 3), i)).join();
        }
        log.sync().join();
        for (int id = 0; id < 3; id++) {
          AuditLog shard = log.shard(id);
          assertThat(shard.query(AuditQuery.tenant("t" + id).limit(100))).hasSize(4);
          assertThat(shard.replicaReads()[0]).as("shard %d read on the replica", id).isEqualTo(1);
        }
        assertThat(log.top().replicaReads()).containsExactly(0, 0);
      } finally {
        onReplica.close();
      }
    }
  }

  @DatabaseTest(Dialect.H2)
  void onlyAPostgresqlReplica_andAShortWait_areTaken(TestDatabase h2) {
    assertThatThrownBy(() -> new AuditLogConfig().readReplica(h2.database(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PostgreSQL");
    assertThatThrownBy(() -> new AuditLogConfig().readReplica(null, Duration.ofSeconds(11)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 to 10 s");
  }
}
