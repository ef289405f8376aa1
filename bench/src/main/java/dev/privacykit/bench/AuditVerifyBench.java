package dev.privacykit.bench;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.audit.Verification;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code bench/run audit-verify}: full verification of a log of at least a million entries on local
 * PostgreSQL, paired with its baseline in the same run: the same rows read in the same chunks with
 * nothing checked (so the ratio is what checking costs over reading).
 */
final class AuditVerifyBench {
  private static final int ROUNDS = 3;

  private AuditVerifyBench() {}

  static void run() throws Exception {
    String schema = "pk_bench_verify_" + Long.toHexString(System.nanoTime());
    long target = Long.getLong("bench.audit.entries", 1_000_000L);
    try (Database db =
        Database.open(BenchMain.postgresUrl(), c -> c.schema(schema).maximumPoolSize(8))) {
      db.migrate();
      Jdbi jdbi = Jdbis.of(db);
      try {
        CheckpointSigner signer = CheckpointSigner.generate("bench.privacykit.dev/audit");
        try (AuditLog log =
            AuditLog.open(db, c -> c.origin("bench.privacykit.dev/audit").signer(signer))) {
          long started = System.nanoTime();
          AuditBench.fill(log, target);
          log.sync().join();
          System.err.printf(
              Locale.ROOT,
              "filled %d entries in %.1f s%n",
              log.size(),
              (System.nanoTime() - started) / 1e9);
          long size = log.size();
          Paired.Figure full =
              Paired.measure(
                  "audit.verify_full",
                  ROUNDS,
                  () -> {
                    long t = System.nanoTime();
                    Verification v = log.verify();
                    if (!v.ok()) {
                      throw new IllegalStateException(v.failure().get().message());
                    }
                    return size / ((System.nanoTime() - t) / 1e9);
                  },
                  () -> {
                    long t = System.nanoTime();
                    long read = readAll(jdbi, size);
                    return read / ((System.nanoTime() - t) / 1e9);
                  });
          System.out.printf(
              Locale.ROOT,
              "{\"bench\": \"audit.verify_full\", \"baseline\": \"read_rows_unchecked\", \"entries\": %d, %s}%n",
              size,
              full.fields());
          proofLatency(log, jdbi);
          // Incremental: each round appends 100,000 entries, then verifies only them; the
          // baseline reads the same 100,000 rows unchecked.
          long[] lastFrom = {0};
          Paired.Figure incremental =
              Paired.measure(
                  "audit.verify_incremental_100k",
                  ROUNDS,
                  () -> {
                    long before = log.size();
                    AuditBench.fill(log, before + 100_000);
                    log.sync().join();
                    log.checkpoint();
                    long added = log.size() - before;
                    lastFrom[0] = before;
                    long t = System.nanoTime();
                    Verification v = log.verifyIncremental();
                    if (!v.ok()) {
                      throw new IllegalStateException(v.failure().get().message());
                    }
                    return added / ((System.nanoTime() - t) / 1e9);
                  },
                  () -> {
                    long t = System.nanoTime();
                    long read = readRange(jdbi, lastFrom[0], lastFrom[0] + 100_000);
                    return read / ((System.nanoTime() - t) / 1e9);
                  });
          System.out.printf(
              Locale.ROOT,
              "{\"bench\": \"audit.verify_incremental_100k\", \"baseline\": \"read_rows_unchecked\", \"log_entries\": %d, %s}%n",
              log.size(),
              incremental.fields());
        }
      } finally {
        if (!Boolean.getBoolean("bench.keep")) {
          jdbi.useHandle(h -> h.execute("DROP SCHEMA " + schema + " CASCADE"));
        }
      }
    }
  }

  /**
   * Inclusion proofs at this size, p50 and p99 over 1,000 random entries after a warm-up, against
   * the smallest database round trip a proof could make: one leaf hash read by its seq.
   */
  private static void proofLatency(AuditLog log, Jdbi jdbi) {
    dev.privacykit.audit.Checkpoint checkpoint = log.checkpoint();
    long size = checkpoint.size();
    java.util.concurrent.ThreadLocalRandom random =
        java.util.concurrent.ThreadLocalRandom.current();
    for (int i = 0; i < 500; i++) {
      log.inclusionProof(random.nextLong(size), size);
      lookup(jdbi, random.nextLong(size));
    }
    long[] proofs = new long[1_000];
    long[] lookups = new long[1_000];
    for (int i = 0; i < proofs.length; i++) {
      long seq = random.nextLong(size);
      long t = System.nanoTime();
      if (!log.inclusionProof(seq, size).verify(checkpoint)) {
        throw new IllegalStateException("proof failed");
      }
      proofs[i] = System.nanoTime() - t;
      t = System.nanoTime();
      lookup(jdbi, random.nextLong(size));
      lookups[i] = System.nanoTime() - t;
    }
    java.util.Arrays.sort(proofs);
    java.util.Arrays.sort(lookups);
    System.out.printf(
        Locale.ROOT,
        "{\"bench\": \"audit.inclusion_proof\", \"baseline\": \"leaf_lookup\", \"entries\": %d,"
            + " \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"baseline_p50_ms\": %.3f, \"baseline_p99_ms\": %.3f}%n",
        size,
        proofs[500] / 1e6,
        proofs[990] / 1e6,
        lookups[500] / 1e6,
        lookups[990] / 1e6);
  }

  private static void lookup(Jdbi jdbi, long seq) {
    jdbi.useHandle(
        h ->
            h.createQuery("SELECT leaf_hash FROM audit_entries WHERE seq = :s")
                .bind("s", seq)
                .mapTo(byte[].class)
                .one());
  }

  /** Reads every entry and its subtrees in chunks of 10,000, as verify does, checking nothing. */
  private static long readAll(Jdbi jdbi, long size) {
    return readRange(jdbi, 0, size);
  }

  private static long readRange(Jdbi jdbi, long start, long end) {
    long rows = 0;
    for (long from = start; from < end; from += 10_000) {
      long a = from;
      rows +=
          jdbi.withHandle(
              h -> {
                int[] n = {0};
                h.createQuery(
                        "SELECT * FROM audit_entries WHERE seq >= :a AND seq < :b ORDER BY seq")
                    .bind("a", a)
                    .bind("b", a + 10_000)
                    .map((rs, ctx) -> n[0]++)
                    .list();
                h.createQuery(
                        "SELECT level, idx, hash FROM audit_subtrees WHERE end_leaf BETWEEN :a AND :b")
                    .bind("a", a)
                    .bind("b", a + 9_999)
                    .map((rs, ctx) -> rs.getBytes(3))
                    .list();
                return (long) n[0];
              });
    }
    return rows;
  }
}
