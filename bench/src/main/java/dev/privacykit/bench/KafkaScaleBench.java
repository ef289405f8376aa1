package dev.privacykit.bench;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditShards;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.audit.ShardPlan;
import dev.privacykit.audit.kafka.EntryStatus;
import dev.privacykit.audit.kafka.IngestStatus;
import dev.privacykit.audit.kafka.KafkaAuditIngest;
import dev.privacykit.audit.kafka.Sequenced;
import dev.privacykit.audit.kafka.ShardSequencer;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * The Kafka path of {@code bench/run scale}, run after the shard figures: an in-process KRaft
 * broker (one node, so replication factor 1: {@code acks=all} waits for the one replica, and Kafka
 * does not fsync by default while PostgreSQL does), a topic of 8 partitions, a log of 8 shards on
 * local PostgreSQL and one {@link ShardSequencer} per shard, partition = shard through the plan's
 * placement. Interleaved round by round ({@link Paired}), with the same number of appends in
 * flight: appends/s acknowledged by Kafka against {@link AuditShards#append} appends/s (committed
 * in the tree) on the same shards. During the Kafka phases it times each entry from Kafka's
 * acknowledgement to its sequencer committing the batch that holds it, and after each phase waits
 * until every acknowledged entry is integrated (so the direct phase never competes with a backlog).
 * The sequencers run during the Kafka phases, as they would in production: on one host the broker,
 * the producer, the sequencers and PostgreSQL share the cores, so the Kafka figure is what one
 * machine sustains end to end, not what a Kafka cluster alone would take.
 *
 * <p>System properties: {@code bench.scale.kafka.rounds} ({@code bench.scale.rounds}, 4), {@code
 * bench.scale.kafka.seconds} ({@code bench.scale.seconds}, 5), {@code bench.scale.kafka.inflight}
 * (256), {@code bench.scale.kafka.partitions} (8), {@code bench.scale.kafka.warmup_seconds} (3),
 * {@code bench.scale.kafka.drain_seconds} (60).
 */
final class KafkaScaleBench {
  private static final int ROUNDS =
      Integer.getInteger("bench.scale.kafka.rounds", Integer.getInteger("bench.scale.rounds", 4));
  private static final int SECONDS =
      Integer.getInteger("bench.scale.kafka.seconds", Integer.getInteger("bench.scale.seconds", 5));
  private static final int IN_FLIGHT = Integer.getInteger("bench.scale.kafka.inflight", 256);
  private static final int PARTITIONS = Integer.getInteger("bench.scale.kafka.partitions", 8);
  private static final int DRAIN_SECONDS =
      Integer.getInteger("bench.scale.kafka.drain_seconds", 60);
  private static final int WARMUP_SECONDS =
      Integer.getInteger("bench.scale.kafka.warmup_seconds", 3);
  private static final int TENANTS = 64;
  private static final String ORIGIN = "bench.privacykit.dev/scale-kafka";

  private KafkaScaleBench() {}

  /** One phase: appends/s over it and the acknowledgement times (microseconds, sorted). */
  private record Phase(double perSecond, long[] ackMicros) {}

  static void run() throws Exception {
    String schema = "pk_bench_kafka_" + Long.toHexString(System.nanoTime() % 0xffffff);
    KafkaClusterTestKit cluster = startBroker();
    try (Database db =
        Database.open(BenchMain.postgresUrl(), c -> c.schema(schema).maximumPoolSize(24))) {
      db.migrate();
      try {
        measure(cluster.bootstrapServers(), db);
      } finally {
        drop(db, schema);
      }
    } finally {
      cluster.close();
    }
  }

  private static void measure(String servers, Database db) throws Exception {
    String topic = topic(servers);
    CheckpointSigner signer = CheckpointSigner.generate(ORIGIN);
    try (AuditShards log =
            AuditShards.open(
                db,
                ShardPlan.hashed(PARTITIONS),
                c -> c.origin(ORIGIN).signer(signer).tenantShare(1));
        KafkaAuditIngest ingest =
            KafkaAuditIngest.open(
                c ->
                    c.bootstrapServers(servers)
                        .topic(topic)
                        .shardOf(tenant -> log.plan().placement(tenant, Instant.now())));
        Integration integration = Integration.start(log, servers, topic)) {
      Function<AuditEntry, CompletableFuture<?>> viaKafka =
          entry -> ingest.append(entry).thenApply(integration::acknowledged);
      Function<AuditEntry, CompletableFuture<?>> direct = entry -> log.append(entry, null);
      // warm-up: JIT (the producer's first seconds run several times slower), connections, the
      // sequencers' first fetches
      phase(viaKafka, WARMUP_SECONDS);
      integration.drain();
      phase(direct, WARMUP_SECONDS);
      integration.reset();

      List<Long> p50Kafka = new ArrayList<>();
      List<Long> p99Kafka = new ArrayList<>();
      List<Long> p50Direct = new ArrayList<>();
      List<Long> p99Direct = new ArrayList<>();
      List<Double> integratedPerSecond = new ArrayList<>();
      Paired.Figure figure =
          Paired.measure(
              "scale.kafka_appends vs direct",
              ROUNDS,
              () -> {
                long start = System.nanoTime();
                long before = integration.integrated();
                Phase p = phase(viaKafka, SECONDS);
                integration.drain();
                integratedPerSecond.add(
                    (integration.integrated() - before) / ((System.nanoTime() - start) / 1e9));
                p50Kafka.add(percentile(p.ackMicros(), 0.50));
                p99Kafka.add(percentile(p.ackMicros(), 0.99));
                return p.perSecond();
              },
              () -> {
                Phase p = phase(direct, SECONDS);
                p50Direct.add(percentile(p.ackMicros(), 0.50));
                p99Direct.add(percentile(p.ackMicros(), 0.99));
                return p.perSecond();
              });
      integration.check(log);
      long[] latencies = integration.latencies();
      System.out.println(
          String.format(
              Locale.ROOT,
              "{\"bench\": \"scale.kafka_appends\", \"shards\": %d, \"partitions\": %d,"
                  + " \"in_flight\": %d, \"broker\": \"in-process KRaft, 1 node, replication 1\","
                  + " \"subject\": \"KafkaAuditIngest (acked by Kafka, acks=all)\","
                  + " \"baseline\": \"AuditShards.append (committed)\", %s,"
                  + " \"p50_ack_ms\": %.1f, \"baseline_p50_ack_ms\": %.1f,"
                  + " \"p99_ack_ms\": %.1f, \"baseline_p99_ack_ms\": %.1f,"
                  + " \"integrated_per_s\": %.0f, \"sequenced_to_integrated_p50_ms\": %.1f,"
                  + " \"sequenced_to_integrated_p99_ms\": %.1f, \"latency_samples\": %d}",
              PARTITIONS,
              PARTITIONS,
              IN_FLIGHT,
              figure.fields(),
              median(p50Kafka) / 1000.0,
              median(p50Direct) / 1000.0,
              median(p99Kafka) / 1000.0,
              median(p99Direct) / 1000.0,
              Paired.median(integratedPerSecond.stream().mapToDouble(d -> d).toArray()),
              percentile(latencies, 0.50) / 1000.0,
              percentile(latencies, 0.99) / 1000.0,
              latencies.length));
    }
  }

  /**
   * Keeps {@value #IN_FLIGHT} appends in flight for {@code seconds}, over {@value #TENANTS}
   * tenants; returns appends/s (every append the phase started, over the time until the last one
   * was acknowledged).
   */
  private static Phase phase(Function<AuditEntry, CompletableFuture<?>> append, int seconds)
      throws InterruptedException {
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    AtomicLong failed = new AtomicLong();
    AtomicLong acknowledged = new AtomicLong();
    long[] ackMicros = new long[4_000_000];
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    for (long i = 0; System.nanoTime() < end; i++) {
      inFlight.acquire();
      long sent = System.nanoTime();
      append
          .apply(entry(i))
          .whenComplete(
              (done, error) -> {
                if (error != null) {
                  failed.incrementAndGet();
                } else {
                  long n = acknowledged.getAndIncrement();
                  if (n < ackMicros.length) {
                    ackMicros[(int) n] = (System.nanoTime() - sent) / 1_000;
                  }
                }
                inFlight.release();
              });
    }
    inFlight.acquire(IN_FLIGHT);
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " appends failed in a bench phase");
    }
    long[] sorted = Arrays.copyOf(ackMicros, (int) Math.min(acknowledged.get(), ackMicros.length));
    Arrays.sort(sorted);
    return new Phase(acknowledged.get() / elapsed, sorted);
  }

  private static AuditEntry entry(long i) {
    return AuditEntry.builder("tenant" + (i % TENANTS), "svc:bench", Action.READ)
        .subject("subj_" + (i % 1000))
        .purpose("order_fulfilment")
        .build();
  }

  /**
   * The sequencers, one per shard, and a watcher that times each acknowledged entry until its
   * sequencer has committed it: from the acknowledgement until {@link ShardSequencer#nextOffset()}
   * passes its offset (polled every half millisecond).
   */
  private static final class Integration implements AutoCloseable {
    private final List<ShardSequencer> sequencers = new ArrayList<>();
    private final List<ConcurrentSkipListMap<Long, Long>> waiting = new ArrayList<>();
    private final Thread watcher;
    private final Object lock = new Object();
    private long[] latencies = new long[1 << 20];
    private int count;
    private volatile Sequenced last;
    private volatile boolean closed;

    private Integration(AuditShards log, String servers, String topic) {
      for (int p = 0; p < PARTITIONS; p++) {
        int partition = p;
        sequencers.add(
            ShardSequencer.start(
                log.shard(partition), partition, c -> c.bootstrapServers(servers).topic(topic)));
        waiting.add(new ConcurrentSkipListMap<>());
      }
      watcher = new Thread(this::watch, "bench-integration-watcher");
      watcher.setDaemon(true);
      watcher.start();
    }

    static Integration start(AuditShards log, String servers, String topic) {
      return new Integration(log, servers, topic);
    }

    /** Notes when Kafka acknowledged {@code at}. */
    Sequenced acknowledged(Sequenced at) {
      waiting.get(at.partition()).put(at.offset(), System.nanoTime());
      last = at;
      return at;
    }

    private void watch() {
      while (!closed) {
        for (int p = 0; p < PARTITIONS; p++) {
          long next = sequencers.get(p).nextOffset();
          ConcurrentSkipListMap<Long, Long> map = waiting.get(p);
          long now = System.nanoTime();
          for (Map.Entry<Long, Long> e; (e = map.firstEntry()) != null && e.getKey() < next; ) {
            map.remove(e.getKey());
            record(Math.max(0, now - e.getValue()) / 1_000);
          }
        }
        LockSupport.parkNanos(500_000);
      }
    }

    private void record(long micros) {
      synchronized (lock) {
        if (count == latencies.length) {
          latencies = Arrays.copyOf(latencies, count * 2);
        }
        latencies[count++] = micros;
      }
    }

    /** Waits until every acknowledged entry is integrated. */
    void drain() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
      while (waiting.stream().anyMatch(m -> !m.isEmpty())) {
        for (ShardSequencer s : sequencers) {
          if (s.state() != ShardSequencer.State.RUNNING) {
            throw new IllegalStateException(
                "sequencer " + s.partition() + " stopped: " + s.state() + " " + s.failure());
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "acknowledged entries not integrated within "
                  + DRAIN_SECONDS
                  + " s (bench.scale.kafka.drain_seconds)");
        }
        Thread.sleep(10);
      }
    }

    /** Forgets the latencies measured so far (the warm-up's). */
    void reset() {
      synchronized (lock) {
        count = 0;
      }
    }

    long[] latencies() {
      synchronized (lock) {
        long[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        return sorted;
      }
    }

    long integrated() {
      return sequencers.stream().mapToLong(ShardSequencer::integratedCount).sum();
    }

    /** Fails unless every sequencer integrated without failures and the last entry reads back. */
    void check(AuditShards log) {
      for (ShardSequencer s : sequencers) {
        if (s.failureCount() + s.skippedCount() + s.fencedCount() > 0) {
          throw new IllegalStateException(
              "sequencer "
                  + s.partition()
                  + ": "
                  + s.failureCount()
                  + " failed batches, "
                  + s.skippedCount()
                  + " skipped, "
                  + s.fencedCount()
                  + " fenced");
        }
      }
      EntryStatus status = IngestStatus.of(log::shard).status(last);
      if (status.state() != EntryStatus.State.INTEGRATED) {
        throw new IllegalStateException("the last acknowledged entry is " + status.state());
      }
    }

    @Override
    public void close() {
      closed = true;
      sequencers.forEach(ShardSequencer::close);
    }
  }

  private static KafkaClusterTestKit startBroker() throws Exception {
    KafkaClusterTestKit cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .build();
    PrintStream out = System.out;
    System.setOut(System.err); // format() prints its metadata; standard output is for the figures
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw e;
    } finally {
      System.setOut(out);
    }
  }

  private static String topic(String servers) throws Exception {
    String name = "privacykit-audit-bench";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
      admin.createTopics(List.of(new NewTopic(name, PARTITIONS, (short) 1))).all().get();
    }
    return name;
  }

  /** Drops the schema and the shards' and top-level log's schemas made beside it. */
  private static void drop(Database db, String schema) {
    List<String> schemas = new ArrayList<>(List.of(schema, schema + "_audit_top"));
    for (int id = 1; id < PARTITIONS; id++) {
      schemas.add(schema + "_audit_s" + id);
    }
    Jdbis.of(db)
        .useHandle(
            h -> {
              for (String s : schemas) {
                h.execute("DROP SCHEMA IF EXISTS " + s + " CASCADE");
              }
            });
  }

  private static long percentile(long[] sorted, double q) {
    return sorted.length == 0
        ? 0
        : sorted[(int) Math.min(sorted.length - 1, (long) (sorted.length * q))];
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
  }
}
