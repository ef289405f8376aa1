package dev.privacykit.bench;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditShards;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.audit.ShardPlan;
import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.storage.Database;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One of the processes {@link ScaleBench} starts: opens the sharded log (arguments: JDBC URL,
 * schema, key file, passphrase, shards, seconds, callers), waits for "GO" on standard input, then
 * keeps {@code callers} appends in flight for the given seconds over 64 tenants, and prints one
 * line: {@code RESULT acknowledged p50_micros p99_micros}.
 */
public final class ScaleChild {
  private ScaleChild() {}

  /**
   * Appends as a service process would: to the tenant's placed shard; or, with {@code
   * -Dbench.scale.affinity=true} (tenants routed to processes by shard), to the shards this process
   * owns: shard ids congruent to its index modulo the process count.
   */
  private static java.util.concurrent.CompletableFuture<?> append(
      AuditShards log, AuditEntry entry, String[] args, int i) {
    if (!Boolean.getBoolean("bench.scale.affinity")) {
      return log.append(entry, null);
    }
    int index = Integer.parseInt(args[7]);
    int processes = Integer.parseInt(args[8]);
    int shards = log.ids().size();
    int owned = Math.max(1, shards / processes);
    int shard = shards < processes ? 0 : (index + processes * (i % owned)) % shards;
    return log.shard(shard).append(entry);
  }

  public static void main(String[] args) throws Exception {
    RootKey root = RootKeys.fromKeyFile(Path.of(args[2]), args[3].toCharArray());
    int shards = Integer.parseInt(args[4]);
    long seconds = Long.parseLong(args[5]);
    int callers = Integer.parseInt(args[6]);
    try (Database db = Database.open(args[0], c -> c.schema(args[1]).maximumPoolSize(4))) {
      CheckpointSigner signer = CheckpointSigner.open(db, root, "bench.privacykit.dev/scale");
      try (AuditShards log =
          AuditShards.open(
              db,
              ShardPlan.hashed(shards),
              c ->
                  c.origin("bench.privacykit.dev/scale")
                      .signer(signer)
                      .tenantShare(1)
                      .linger(
                          java.time.Duration.ofMillis(Long.getLong("bench.scale.linger_ms", 2))))) {
        System.out.println("READY");
        System.out.flush();
        if (!"GO"
            .equals(
                new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine())) {
          return;
        }
        long[] latencies = new long[4_000_000];
        AtomicLong acknowledged = new AtomicLong();
        Semaphore inFlight = new Semaphore(callers);
        // Warm-up (JIT, pools, every shard's frontier): appends not counted.
        long warm = System.nanoTime() + Long.getLong("bench.scale.warmup", 3) * 1_000_000_000L;
        for (int w = 0; System.nanoTime() < warm; w++) {
          inFlight.acquire();
          log.append(AuditEntry.builder("tenant" + (w % 64), "svc:warm", Action.READ).build(), null)
              .whenComplete((ref, error) -> inFlight.release());
        }
        inFlight.acquire(callers);
        inFlight.release(callers);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int i = 0;
        while (System.nanoTime() < end) {
          inFlight.acquire();
          long start = System.nanoTime();
          AuditEntry entry =
              AuditEntry.builder("tenant" + (i++ % 64), "svc:bench", Action.READ)
                  .subject("subj_" + (i % 1000))
                  .purpose("order_fulfilment")
                  .build();
          append(log, entry, args, i)
              .whenComplete(
                  (ref, error) -> {
                    if (error == null) {
                      long n = acknowledged.getAndIncrement();
                      if (n < latencies.length) {
                        latencies[(int) n] = (System.nanoTime() - start) / 1_000;
                      }
                    }
                    inFlight.release();
                  });
        }
        inFlight.acquire(callers);
        int n = (int) Math.min(acknowledged.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        System.out.println(
            String.format(
                Locale.ROOT,
                "RESULT %d %d %d",
                acknowledged.get(),
                n == 0 ? 0 : sorted[n / 2],
                n == 0 ? 0 : sorted[(int) Math.min(n - 1, (long) (n * 0.99))]));
        System.out.flush();
      }
    }
  }
}
