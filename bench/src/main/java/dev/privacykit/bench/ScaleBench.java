package dev.privacykit.bench;

import dev.privacykit.audit.AuditShards;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.audit.ShardPlan;
import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.storage.Database;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench/run scale}: the sharded audit log on local PostgreSQL (fsync on), in one run. Four
 * processes ({@link ScaleChild}), each with the same number of appends in flight (512), append for
 * a few seconds to a log of 8 shards and, interleaved round by round, to a log of 1 shard:
 * appends/s (sum over the processes) and the p99 acknowledgement time (the worst process's p99);
 * first with each shard's tenants routed to one process ("routed"), then with every process
 * appending to every shard ("any process"). Then full verification entries/s (the 8 shards verified
 * two at a time against the one shard), and the Kafka path ({@link KafkaScaleBench}).
 */
final class ScaleBench {
  private static final String PASSPHRASE = "bench scale passphrase";
  private static final int PROCESSES = Integer.getInteger("bench.scale.processes", 4);
  private static final int CALLERS = Integer.getInteger("bench.scale.callers", 512);
  private static final int SECONDS = Integer.getInteger("bench.scale.seconds", 6);
  private static final int ROUNDS = Integer.getInteger("bench.scale.rounds", 3);

  private ScaleBench() {}

  /** One phase's figures. */
  record Phase(double perSecond, long p99Micros, long p50Micros) {}

  static void run() throws Exception {
    if ("kafka".equals(System.getProperty("bench.scale.only"))) {
      KafkaScaleBench.run();
      return;
    }
    String url = BenchMain.postgresUrl();
    String base = "pk_bench_scale_" + Long.toHexString(System.nanoTime() % 0xffffff);
    Path dir = Files.createTempDirectory("pk-scale");
    Path keyFile = dir.resolve("root.key");
    RootKey root = RootKeys.createKeyFile(keyFile, PASSPHRASE.toCharArray());
    String one = base + "_one";
    String eight = base + "_eight";
    prepare(url, one, root, 1);
    prepare(url, eight, root, 8);
    // Routed: each shard's tenants sent to one process (ids congruent to the process's index), as
    // a load balancer routing by tenant would. Any process: every process appends to every shard.
    appendsFigure(url, one, eight, keyFile, true);
    appendsFigure(url, one, eight, keyFile, false);
    verifyFigure(url, one, eight, root);
    KafkaScaleBench.run();
  }

  /** 8 shards against 1, interleaved, every process with the same appends in flight. */
  private static void appendsFigure(
      String url, String one, String eight, Path keyFile, boolean routed) throws Exception {
    List<Long> p99Eight = new ArrayList<>();
    List<Long> p99One = new ArrayList<>();
    List<Long> p50Eight = new ArrayList<>();
    List<Long> p50One = new ArrayList<>();
    String name = routed ? "scale.appends_routed" : "scale.appends_any_process";
    Paired.Figure appends =
        Paired.measure(
            name + " 8 shards vs 1",
            ROUNDS,
            () -> {
              Phase p = phase(url, eight, keyFile, 8, routed);
              p99Eight.add(p.p99Micros());
              p50Eight.add(p.p50Micros());
              return p.perSecond();
            },
            () -> {
              Phase p = phase(url, one, keyFile, 1, routed);
              p99One.add(p.p99Micros());
              p50One.add(p.p50Micros());
              return p.perSecond();
            });
    System.out.println(
        String.format(
            Locale.ROOT,
            "{\"bench\": \"%s\", \"processes\": %d, \"callers_per_process\": %d,"
                + " \"subject\": \"8 shards\", \"baseline\": \"1 shard\", %s,"
                + " \"p50_ack_ms\": %.1f, \"baseline_p50_ack_ms\": %.1f,"
                + " \"p99_ack_ms\": %.1f, \"baseline_p99_ack_ms\": %.1f}",
            name,
            PROCESSES,
            CALLERS,
            appends.fields(),
            median(p50Eight) / 1000.0,
            median(p50One) / 1000.0,
            median(p99Eight) / 1000.0,
            median(p99One) / 1000.0));
  }

  /** Creates the schema, the signing key and every shard's tables once, before the processes. */
  private static void prepare(String url, String schema, RootKey root, int shards)
      throws Exception {
    try (Database db = Database.open(url, c -> c.schema(schema))) {
      db.migrate();
      CheckpointSigner signer = CheckpointSigner.open(db, root, "bench.privacykit.dev/scale");
      AuditShards.open(
              db,
              ShardPlan.hashed(shards),
              c -> c.origin("bench.privacykit.dev/scale").signer(signer))
          .close();
    }
  }

  /** Starts the processes, lets them open the log, then runs them together. */
  private static Phase phase(String url, String schema, Path keyFile, int shards, boolean routed)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> children = new ArrayList<>();
    List<BufferedReader> outputs = new ArrayList<>();
    try {
      for (int p = 0; p < PROCESSES; p++) {
        Process child =
            new ProcessBuilder(
                    java,
                    "-Xmx512m",
                    "-Dbench.scale.warmup=" + Long.getLong("bench.scale.warmup", 3),
                    "-Dbench.scale.linger_ms=" + Long.getLong("bench.scale.linger_ms", 2),
                    "-Dbench.scale.affinity=" + routed,
                    "-cp",
                    System.getProperty("java.class.path"),
                    ScaleChild.class.getName(),
                    url,
                    schema,
                    keyFile.toString(),
                    PASSPHRASE,
                    Integer.toString(shards),
                    Integer.toString(SECONDS),
                    Integer.toString(CALLERS),
                    Integer.toString(p),
                    Integer.toString(PROCESSES))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        children.add(child);
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        outputs.add(out);
        expect(out, "READY");
      }
      for (Process child : children) {
        PrintStream in = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8);
        in.println("GO");
      }
      long total = 0;
      long p99 = 0;
      List<Long> p50s = new ArrayList<>();
      for (BufferedReader out : outputs) {
        String[] result = expect(out, "RESULT").split(" ");
        total += Long.parseLong(result[1]);
        p50s.add(Long.parseLong(result[2]));
        p99 = Math.max(p99, Long.parseLong(result[3]));
      }
      for (Process child : children) {
        child.waitFor(60, TimeUnit.SECONDS);
      }
      double perSecond = total / (double) SECONDS;
      System.err.printf(
          Locale.ROOT,
          "scale: %d shard(s)%s: %.0f appends/s, p99 %d us%n",
          shards,
          routed ? " routed" : "",
          perSecond,
          p99);
      return new Phase(perSecond, p99, median(p50s));
    } finally {
      children.forEach(Process::destroyForcibly);
    }
  }

  private static String expect(BufferedReader out, String prefix) throws Exception {
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new IllegalStateException("a scale process ended before " + prefix);
  }

  /** Verification entries/s: the 8 shards, two at a time, against the one shard. */
  private static void verifyFigure(String url, String one, String eight, RootKey root)
      throws Exception {
    try (Database dbOne = Database.open(url, c -> c.schema(one));
        Database dbEight = Database.open(url, c -> c.schema(eight))) {
      AuditShards logOne = open(dbOne, root, 1);
      AuditShards logEight = open(dbEight, root, 8);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Paired.Figure verify =
            Paired.measure(
                "scale.verify_8_shards vs 1_shard",
                3,
                () -> {
                  long start = System.nanoTime();
                  List<Future<Long>> runs = new ArrayList<>();
                  for (int id : logEight.ids()) {
                    runs.add(pool.submit(() -> logEight.shard(id).verify().entries()));
                  }
                  long entries = 0;
                  for (Future<Long> run : runs) {
                    entries += run.get();
                  }
                  return entries / ((System.nanoTime() - start) / 1e9);
                },
                () -> {
                  long start = System.nanoTime();
                  long entries = logOne.shard(0).verify().entries();
                  return entries / ((System.nanoTime() - start) / 1e9);
                });
        System.out.println(
            String.format(
                Locale.ROOT,
                "{\"bench\": \"scale.verify\", \"subject\": \"8 shards, 2 threads\","
                    + " \"baseline\": \"1 shard\", \"entries_8_shards\": %d, \"entries_1_shard\": %d,"
                    + " %s}",
                logEight.ids().stream().mapToLong(id -> logEight.shard(id).size()).sum(),
                logOne.shard(0).size(),
                verify.fields()));
      } finally {
        pool.shutdownNow();
        logOne.close();
        logEight.close();
      }
    }
  }

  private static AuditShards open(Database db, RootKey root, int shards) throws Exception {
    CheckpointSigner signer = CheckpointSigner.open(db, root, "bench.privacykit.dev/scale");
    return AuditShards.open(
        db, ShardPlan.hashed(shards), c -> c.origin("bench.privacykit.dev/scale").signer(signer));
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
  }
}
