package dev.privacykit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.SecondPrimary;
import dev.privacykit.storage.testing.StreamingReplica;
import dev.privacykit.storage.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Shards on two PostgreSQL primaries: the test's, holding shard 0 and the top-level log, and a
 * second one the test starts from a base backup, holding shards 1 and 2. Each shard is a whole log
 * in the primary that holds it (its schema exists there only), every entry's proof runs through the
 * one top-level checkpoint, the whole verifies; and when the second primary stops, only its shards
 * stop taking entries while shard 0 goes on. PostgreSQL only.
 */
class ShardPrimariesTest {
  private static final ShardPlan PLAN = ShardPlan.hashed(3);

  @DatabaseTest(Dialect.POSTGRESQL)
  void shardsOnASecondPrimary_areWholeProvableLogs_andItsOutageStopsOnlyThem(TestDatabase pg)
      throws Exception {
    StreamingReplica.assumeAvailable();
    Database first = pg.database().inSchema(pg.schema() + "_p1");
    first.migrate();
    SecondPrimary second = SecondPrimary.start();
    try (Database other =
        Database.open(
            second.url(), c -> c.schema(first.schema()).connectionTimeout(Duration.ofSeconds(1)))) {
      AuditShards log =
          AuditShards.open(
              first,
              Map.of(1, other, 2, other),
              PLAN,
              c ->
                  c.origin(AuditShardsTest.ORIGIN)
                      .signer(Logs.SIGNER)
                      .checkpointInterval(Duration.ofMillis(100)));
      try {
        List<AuditShards.Ref> refs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          refs.add(log.append(entry("t" + (i % 10), i), null).join());
        }
        for (int id = 0; id < 3; id++) {
          AuditLog shard = log.shard(id);
          shard.sync().join();
          assertThat(shard.size()).as("entries in shard %d", id).isPositive();
        }
        log.recordNow();
        assertThat(log.verify().ok()).isTrue();
        for (AuditShards.Ref ref : refs) {
          log.prove(ref.shard(), ref.seq()).verifyOffline(log.topOrigin(), log.verifierKey());
        }
        String shard1 = first.schema() + "_audit_s1";
        assertThat(rows(pg.url(), shard1)).as("shard 1 is not on the first primary").isEqualTo(-1);
        assertThat(rows(second.url(), shard1)).isEqualTo(log.shard(1).size());
        assertThat(rows(pg.url(), first.schema())).isEqualTo(log.shard(0).size());

        second.close(); // the second primary is gone, as in a crash
        String onZero = tenantOn(0);
        String onOne = tenantOn(1);
        long seq = log.append(entry(onZero, 99), null).get(30, TimeUnit.SECONDS).seq();
        assertThat(seq).isEqualTo(log.shard(0).size() - 1);
        assertThatThrownBy(() -> log.append(entry(onOne, 99), null).get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(AuditLogException.class);
        assertThat(log.shard(0).verify().ok()).isTrue();
      } finally {
        log.close();
      }
    } finally {
      second.close();
      first.close();
    }
  }

  @DatabaseTest(Dialect.H2)
  void shard0CannotLiveElsewhere_norAShardThePlanLacks(TestDatabase h2) {
    for (int id : new int[] {0, 5}) {
      assertThatThrownBy(
              () ->
                  AuditShards.open(
                      h2.database(),
                      Map.of(id, h2.database()),
                      PLAN,
                      c -> c.origin(AuditShardsTest.ORIGIN).signer(Logs.SIGNER)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("shard " + id);
    }
  }

  private static AuditEntry entry(String tenant, int n) {
    return AuditEntry.builder(tenant, "svc:orders", Action.READ)
        .subject("subj_" + n)
        .purpose("order_fulfilment")
        .build();
  }

  private static String tenantOn(int shard) {
    for (int i = 0; ; i++) {
      if (PLAN.placement("t" + i, Instant.now()) == shard) {
        return "t" + i;
      }
    }
  }

  /** Rows of {@code schema}.audit_entries on the server at {@code url}; -1 without that schema. */
  private static long rows(String url, String schema) throws Exception {
    try (Connection connection = DriverManager.getConnection(url);
        PreparedStatement exists =
            connection.prepareStatement(
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?")) {
      exists.setString(1, schema);
      try (ResultSet row = exists.executeQuery()) {
        row.next();
        if (row.getLong(1) == 0) {
          return -1;
        }
      }
      try (ResultSet count =
          connection
              .createStatement()
              .executeQuery("SELECT count(*) FROM " + schema + ".audit_entries")) {
        count.next();
        return count.getLong(1);
      }
    }
  }
}
