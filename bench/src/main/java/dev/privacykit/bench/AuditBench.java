package dev.privacykit.bench;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.Checkpoint;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.audit.Verification;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code bench/run audit}: the audit log on local PostgreSQL (fsync on), in one run: sustained
 * appends against a raw batched INSERT of identical rows without hashing; full verify over at least
 * a million entries; inclusion proof latency at that size.
 */
final class AuditBench {
  private static final int PRODUCERS = Integer.getInteger("bench.audit.producers", 8);
  private static final int SECONDS = 4;
  private static final int ROUNDS = 5;

  /** The next seq of the baseline table, which keeps its rows across rounds. */
  private static long rawSeq;

  private AuditBench() {}

  static void run() throws Exception {
    String url =
        BenchMain.postgresUrl()
            + (BenchMain.postgresUrl().contains("?") ? "&" : "?")
            + "reWriteBatchedInserts=true";
    String schema = "pk_bench_audit_" + Long.toHexString(System.nanoTime());
    long target = Long.getLong("bench.audit.entries", 1_000_000L);
    try (Database db = Database.open(url, c -> c.schema(schema).maximumPoolSize(8))) {
      db.migrate();
      Jdbi jdbi = Jdbis.of(db);
      try {
        jdbi.useHandle(
            h -> h.execute("CREATE TABLE raw_entries (LIKE audit_entries INCLUDING ALL)"));
        CheckpointSigner signer = CheckpointSigner.generate("bench.privacykit.dev/audit");
        try (AuditLog log =
            AuditLog.open(db, c -> c.origin("bench.privacykit.dev/audit").signer(signer))) {
          List<long[]> maxLatencies = new ArrayList<>();
          Paired.Figure max =
              Paired.measure(
                  "audit.append_max",
                  ROUNDS,
                  () -> {
                    long[] latencies = sustained(log, 0);
                    maxLatencies.add(latencies);
                    return latencies.length / (double) SECONDS;
                  },
                  () -> rawInserts(jdbi));
          line("audit.append_max", max, maxLatencies);
          List<long[]> pacedLatencies = new ArrayList<>();
          Paired.Figure paced =
              Paired.measure(
                  "audit.append_5000_per_s",
                  ROUNDS,
                  () -> {
                    long[] latencies = sustained(log, 5_000);
                    pacedLatencies.add(latencies);
                    return latencies.length / (double) SECONDS;
                  },
                  () -> rawInserts(jdbi));
          line("audit.append_5000_per_s", paced, pacedLatencies);
          fill(log, target);
          long size = log.size();
          long started = System.nanoTime();
          Verification verification = log.verify();
          double seconds = (System.nanoTime() - started) / 1e9;
          if (!verification.ok()) {
            throw new IllegalStateException(verification.failure().get().message());
          }
          System.out.printf(
              Locale.ROOT,
              "{\"bench\": \"audit.verify_full\", \"entries\": %d, \"ops_per_s\": %.0f, \"seconds\": %.2f}%n",
              size,
              size / seconds,
              seconds);
          Checkpoint checkpoint = log.checkpoint();
          for (int i = 0; i < 300; i++) { // warm-up: JIT and connection pool
            log.inclusionProof(
                ThreadLocalRandom.current().nextLong(checkpoint.size()), checkpoint.size());
          }
          long[] proofs = new long[1_000];
          for (int i = 0; i < proofs.length; i++) {
            long seq = ThreadLocalRandom.current().nextLong(checkpoint.size());
            long t = System.nanoTime();
            if (!log.inclusionProof(seq, checkpoint.size()).verify(checkpoint)) {
              throw new IllegalStateException("proof failed");
            }
            proofs[i] = System.nanoTime() - t;
          }
          Arrays.sort(proofs);
          System.out.printf(
              Locale.ROOT,
              "{\"bench\": \"audit.inclusion_proof\", \"entries\": %d, \"ops_per_s\": %.0f, \"p50_ms\": %.3f, \"p99_ms\": %.3f}%n",
              checkpoint.size(),
              1e9 / (Arrays.stream(proofs).average().orElse(1)),
              proofs[proofs.length / 2] / 1e6,
              proofs[proofs.length * 99 / 100] / 1e6);
        }
      } finally {
        jdbi.useHandle(h -> h.execute("DROP SCHEMA " + schema + " CASCADE"));
      }
    }
  }

  static AuditEntry entry(long i) {
    return AuditEntry.builder("acme", "svc:orders", Action.READ)
        .actorRole("service")
        .subject("subj_" + (i % 10_000))
        .purpose("order_fulfilment")
        .legalBasis("gdpr:contract")
        .categories(List.of("user.contact.email"))
        .requestId("req-" + i)
        .build();
  }

  /**
   * The baseline: the same rows through the same INSERT statement and the same JDBC batching, 512
   * per transaction, with no hashing, no tree and no queue.
   */
  private static double rawInserts(Jdbi jdbi) throws java.sql.SQLException {
    // raw_entries: the same table (columns, primary key and indexes; the triggers are the audit
    // log's own), made once by run()
    // Written out here rather than taken from the audit log's internal store: the baseline is what
    // a team writes by hand, the same columns bound the same way.
    String sql =
        "INSERT INTO raw_entries (seq, recorded_at, tenant, actor, actor_role, subject, action,"
            + " purpose, legal_basis, categories, recipient, request_id, outcome, body_hash,"
            + " leaf_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    long deadline = System.nanoTime() + SECONDS * 1_000_000_000L;
    long[] rows = {0};
    long first = rawSeq;
    byte[] leaf = new byte[32];
    while (System.nanoTime() < deadline) {
      jdbi.useTransaction(
          h -> {
            try (java.sql.PreparedStatement p = h.getConnection().prepareStatement(sql)) {
              java.time.Instant now =
                  java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
              for (int i = 0; i < 512; i++) {
                long seq = first + rows[0]++;
                p.setLong(1, seq);
                p.setObject(2, now.atOffset(java.time.ZoneOffset.UTC));
                p.setString(3, "acme");
                p.setString(4, "svc:orders");
                p.setString(5, "service");
                p.setString(6, "subj_" + (seq % 10_000));
                p.setString(7, "READ");
                p.setString(8, "order_fulfilment");
                p.setString(9, "gdpr:contract");
                p.setString(10, "user.contact.email");
                p.setString(11, null);
                p.setString(12, "req-" + seq);
                p.setString(13, "SUCCESS");
                p.setBytes(14, null);
                p.setBytes(15, leaf);
                p.addBatch();
              }
              p.executeBatch();
            }
          });
    }
    rawSeq += rows[0];
    return rows[0] / (double) SECONDS;
  }

  /**
   * Producers keep appending for {@value #SECONDS} seconds, as fast as they can ({@code rate} 0) or
   * at {@code rate} entries a second in all; returns each ack latency (ns).
   */
  static long[] sustained(AuditLog log, int rate) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong counter = new AtomicLong();
    List<long[]> perThread = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < PRODUCERS; t++) {
      long[] latencies = new long[2_000_000];
      perThread.add(latencies);
      AtomicLong filled = new AtomicLong();
      Thread thread =
          new Thread(
              () -> {
                Semaphore inFlight = new Semaphore(128);
                long interval = rate == 0 ? 0 : 1_000_000_000L * PRODUCERS / rate;
                long next = System.nanoTime();
                while (!stop.get()) {
                  try {
                    inFlight.acquire();
                  } catch (InterruptedException e) {
                    return;
                  }
                  if (interval > 0) {
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                      java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                  }
                  long start = System.nanoTime();
                  CompletableFuture<Long> f = log.append(entry(counter.incrementAndGet()));
                  f.whenComplete(
                      (seq, error) -> {
                        inFlight.release();
                        if (error == null) {
                          long at = filled.getAndIncrement();
                          if (at < latencies.length) {
                            latencies[(int) at] = System.nanoTime() - start;
                          }
                        }
                      });
                }
                inFlight.acquireUninterruptibly(128);
                latencies[latencies.length - 1] = filled.get();
              });
      threads.add(thread);
      thread.start();
    }
    Thread.sleep(SECONDS * 1000L);
    stop.set(true);
    for (Thread thread : threads) {
      thread.join();
    }
    int total = 0;
    for (long[] l : perThread) {
      total += (int) Math.min(l[l.length - 1], l.length - 1);
    }
    long[] all = new long[total];
    int at = 0;
    for (long[] l : perThread) {
      int n = (int) Math.min(l[l.length - 1], l.length - 1);
      System.arraycopy(l, 0, all, at, n);
      at += n;
    }
    return all;
  }

  static void fill(AuditLog log, long target) throws Exception {
    Semaphore inFlight = new Semaphore(4_096);
    long i = log.size();
    while (log.size() + (4_096 - inFlight.availablePermits()) < target) {
      for (int k = 0; k < 10_000; k++) {
        inFlight.acquire();
        log.append(entry(i++)).whenComplete((s, e) -> inFlight.release());
      }
    }
    inFlight.acquire(4_096);
    inFlight.release(4_096);
  }

  /** One JSON line: the paired figure and the subject's latencies over all its rounds. */
  private static void line(String bench, Paired.Figure figure, List<long[]> latencies) {
    long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "{\"bench\": \"%s\", \"baseline\": \"raw_batched_insert\", %s, \"p50_ms\": %.2f,"
            + " \"p99_ms\": %.2f}%n",
        bench,
        figure.fields(),
        all[all.length / 2] / 1e6,
        all[all.length * 99 / 100] / 1e6);
  }
}
