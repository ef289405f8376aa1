package dev.privacykit.audit;

import dev.privacykit.storage.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A sharded audit log: a set of independent Merkle trees (shards), each an {@link AuditLog} with
 * its own head, checkpoints, proofs and verification, and a top-level log that records each shard's
 * checkpoints, so that one signed, witness-cosigned top-level checkpoint pins every shard.
 *
 * <pre>{@code
 * AuditShards log = AuditShards.open(database, ShardPlan.hashed(8).dedicated(8, "bigcorp"),
 *     c -> c.origin("audit.example.com/log").signer(signer).subjectKeys(subjectKeys));
 * AuditShards.Ref ref = log.append(entry, null).join();       // shard and seq
 * ShardProof proof = log.prove(ref.shard(), ref.seq());
 * proof.verifyOffline(log.topOrigin(), log.verifierKey());     // no database needed
 * }</pre>
 *
 * <h2>Where things live</h2>
 *
 * Shard 0 is the log's own tables in the database's schema, with the log's origin: a database that
 * held one tree is shard 0, every entry, checkpoint, cosignature and proof it had unchanged. Shard
 * {@code n} is the same tables in schema {@code <schema>_audit_s<n>} (origin {@code
 * <origin>/shard/<n>}), the top-level log in {@code <schema>_audit_top} (origin {@code
 * <origin>/top}); each with a small pool of its own ({@link Database#inSchema}, {@value
 * #SHARD_POOL} connections), so a shard's connections stay in its schema and no shard waits for
 * another's. Each shard's writer locks only its own head row, so appends to different shards never
 * wait on each other. A shard may live in another database ({@link #open(Database, Map, ShardPlan,
 * Consumer)}: another PostgreSQL primary, say), in the same schema name; shard 0 and the top-level
 * log stay in the log's database. Witnesses, when configured, cosign the top-level log. A read
 * replica ({@link AuditLogConfig#readReplica}) serves each shard's listings and reports from the
 * shard's schema on the replica.
 *
 * <h2>Guarantees</h2>
 *
 * Every shard keeps the single log's guarantees (append-only triggers, signed checkpoints, gapless
 * seq, verification; several processes may share it). A closed shard ({@link
 * ShardPlan.Shard#closes}) refuses appends and no entry of it is recorded at or after its close;
 * {@link #verify()} checks that too. The top-level recorder appends each shard's newest signed
 * checkpoint every {@link AuditLogConfig#checkpointInterval} under an idempotency key of shard and
 * size, so processes sharing the database record each checkpoint once.
 *
 * <p>Thread-safe.
 */
public final class AuditShards implements AuditRouter, AutoCloseable {
  private static final String TOP_SUFFIX = "/top";

  /** Connections of each shard's (and the top-level log's) own pool: its writer and a reader. */
  static final int SHARD_POOL = 3;

  /** Connections of each shard's pool on the read replica, when one is configured. */
  static final int REPLICA_POOL = 2;

  /** Where an entry was appended: its shard and its seq in the shard. */
  public record Ref(int shard, long seq) {}

  private final ShardPlan plan;
  private final String origin;
  private final Map<Integer, AuditLog> shards;
  private final AuditLog top;
  private final List<Database> views;
  private final ShardRecorder recorder;

  private AuditShards(
      ShardPlan plan,
      String origin,
      Map<Integer, AuditLog> shards,
      AuditLog top,
      List<Database> views,
      Duration interval) {
    this.plan = plan;
    this.origin = origin;
    this.shards = Collections.unmodifiableMap(shards);
    this.top = top;
    this.views = views;
    this.recorder = new ShardRecorder(this.shards, top, interval);
  }

  /**
   * Opens (creating and migrating where missing) every shard of {@code plan} and the top-level log
   * in {@code database}, which must be migrated; starts their writers and the recorder. {@code
   * configure} is applied to each shard's and the top-level log's settings; the origin it gives is
   * the log's, from which each shard's is made; witnesses apply to the top-level log only.
   *
   * @throws IllegalArgumentException if the origin or signer is missing, or the plan has no shard 0
   */
  public static AuditShards open(
      Database database, ShardPlan plan, Consumer<AuditLogConfig> configure) {
    return open(database, Map.of(), plan, configure);
  }

  /**
   * As {@link #open(Database, ShardPlan, Consumer)}, with shard {@code n}'s tables in {@code
   * homes.get(n)} (such as another PostgreSQL primary; migrated, open, and closed by the caller)
   * where given, else in {@code database}. Shard 0 and the top-level log stay in {@code database};
   * a shard on another database reads that database (not the read replica), and a database that
   * stops answering stops only the shards it holds.
   *
   * @throws IllegalArgumentException as the other {@code open}, or if a home names shard 0 or a
   *     shard the plan does not have
   */
  public static AuditShards open(
      Database database,
      Map<Integer, Database> homes,
      ShardPlan plan,
      Consumer<AuditLogConfig> configure) {
    for (int id : homes.keySet()) {
      if (id == 0 || plan.shard(id) == null) {
        throw new IllegalArgumentException(
            "shard "
                + id
                + " cannot live elsewhere: shard 0 stays, and the plan has no shard "
                + id);
      }
    }
    if (plan.shard(0) == null) {
      throw new IllegalArgumentException("a shard plan keeps shard 0: the log's original tables");
    }
    AuditLogConfig base = new AuditLogConfig();
    configure.accept(base);
    if (base.origin == null) {
      throw new IllegalArgumentException("an audit log needs an origin and a checkpoint signer");
    }
    String origin = base.origin;
    Map<Integer, AuditLog> shards = new LinkedHashMap<>();
    List<Database> views = new ArrayList<>();
    try {
      Map<Integer, Database> trees = new LinkedHashMap<>();
      for (ShardPlan.Shard shard : plan.shards()) {
        Database db = database;
        if (shard.id() != 0) {
          db = view(homes.getOrDefault(shard.id(), database), base(database), shard.id());
          views.add(db);
        }
        trees.put(shard.id(), db);
      }
      List<Integer> local = new ArrayList<>(trees.keySet());
      local.removeAll(homes.keySet());
      Map<Integer, Database> replicas =
          ShardReplicas.open(database, base.readReplica, local, views);
      for (ShardPlan.Shard shard : plan.shards()) {
        shards.put(
            shard.id(),
            AuditLog.open(
                trees.get(shard.id()),
                c -> {
                  configure.accept(c);
                  c.origin(shardOrigin(origin, shard.id()))
                      .witnesses(List.of(), 0)
                      .writableUntil(shard.closes())
                      .readReplica(replicas.get(shard.id()), c.replicaWait);
                }));
      }
      Database topDb = view(database, base(database) + "_audit_top");
      views.add(topDb);
      AuditLog top =
          AuditLog.open(
              topDb,
              c -> {
                configure.accept(c);
                c.origin(origin + TOP_SUFFIX).readReplica(null, c.replicaWait);
              });
      return new AuditShards(plan, origin, shards, top, views, base.checkpointInterval);
    } catch (RuntimeException e) {
      shards.values().forEach(AuditLog::close);
      views.forEach(Database::close);
      throw e;
    }
  }

  /** The name shard and top-level schemas are made from: the log's schema, or "privacykit". */
  private static String base(Database database) {
    return database.schema() == null ? "privacykit" : database.schema();
  }

  private static Database view(Database home, String base, int shard) {
    return view(home, base + "_audit_s" + shard);
  }

  private static Database view(Database database, String schema) {
    Database view = database.inSchema(schema, SHARD_POOL);
    view.migrate(Set.of("audit"));
    return view;
  }

  /** The origin of shard {@code id} of the log named {@code origin}. */
  public static String shardOrigin(String origin, int id) {
    return id == 0 ? origin : origin + "/shard/" + id;
  }

  /** The log's origin from its top-level log's origin. */
  static String baseOrigin(String topOrigin) {
    if (!topOrigin.endsWith(TOP_SUFFIX)) {
      throw new AuditLogException(topOrigin + " is not the origin of a top-level log");
    }
    return topOrigin.substring(0, topOrigin.length() - TOP_SUFFIX.length());
  }

  ShardRecorder recorder() {
    return recorder;
  }

  /** The plan the log was opened with. */
  public ShardPlan plan() {
    return plan;
  }

  /** The log's origin (shard 0's). */
  public String origin() {
    return origin;
  }

  /** The top-level log's origin: what auditors pass to {@link ShardProof#verifyOffline}. */
  public String topOrigin() {
    return origin + TOP_SUFFIX;
  }

  /** The verifier key of every shard's and the top-level log's checkpoints. */
  public String verifierKey() {
    return top.verifierKey();
  }

  /** The shard of {@code id}. @throws IllegalArgumentException if there is none */
  public AuditLog shard(int id) {
    AuditLog shard = shards.get(id);
    if (shard == null) {
      throw new IllegalArgumentException("there is no audit log shard " + id);
    }
    return shard;
  }

  /** The shard ids, ascending. */
  public Set<Integer> ids() {
    return new java.util.TreeSet<>(shards.keySet());
  }

  /** The top-level log: one entry per recorded shard checkpoint. */
  public AuditLog top() {
    return top;
  }

  /** The shard that takes {@code tenant}'s entries now ({@link ShardPlan#placement}). */
  public AuditLog shardFor(String tenant) {
    return shards.get(plan.placement(tenant, Instant.now()));
  }

  /** The shard that takes {@code tenant}'s entries now: {@link #shardFor}. */
  @Override
  public AuditLog forTenant(String tenant) {
    return shardFor(tenant);
  }

  /** The id of the shard that takes {@code tenant}'s entries now. */
  public int shardIdFor(String tenant) {
    return plan.placement(tenant, Instant.now());
  }

  /**
   * Appends to the shard that takes the entry's tenant now, as {@link AuditLog#append(AuditEntry,
   * String)} does (idempotency keys are per shard).
   */
  public CompletableFuture<Ref> append(AuditEntry entry, String idempotencyKey) {
    int id;
    try {
      id = plan.placement(entry.tenant(), Instant.now());
    } catch (AuditLogException e) {
      return CompletableFuture.failedFuture(e);
    }
    return shards.get(id).append(entry, idempotencyKey).thenApply(seq -> new Ref(id, seq));
  }

  /** Completes once every entry appended to any shard before the call is committed. */
  public CompletableFuture<Void> sync() {
    return CompletableFuture.allOf(
        shards.values().stream().map(AuditLog::sync).toArray(CompletableFuture[]::new));
  }

  /**
   * Records every shard's current tree in the top-level log now (each shard signs a checkpoint of
   * its head first) and waits for it; returns the top-level log's new signed checkpoint.
   */
  public Checkpoint recordNow() {
    sync().join();
    for (Map.Entry<Integer, AuditLog> shard : shards.entrySet()) {
      recorder.record(shard.getKey(), shard.getValue().checkpoint()).join();
    }
    return top.checkpoint();
  }

  /**
   * Proves entry {@code seq} of shard {@code shard} against a fresh top-level checkpoint: records
   * the shard's current tree in the top-level log (once, whichever process asks) and signs.
   *
   * @throws IllegalArgumentException if there is no such shard or entry
   */
  public ShardProof prove(int shard, long seq) {
    return new ShardProver(this).prove(shard, seq);
  }

  /**
   * Proves entry {@code seq} of shard {@code shard} against the stored top-level checkpoint of
   * {@code topSize} entries (such as one the witnesses cosigned), through the newest checkpoint of
   * the shard recorded before it.
   *
   * @throws IllegalArgumentException if there is no such checkpoint, or the entry came after the
   *     last checkpoint of its shard that it records
   */
  public ShardProof prove(int shard, long seq, long topSize) {
    return new ShardProver(this).prove(shard, seq, topSize);
  }

  /**
   * Verifies every shard and the top-level log ({@link AuditLog#verify()} each), then that every
   * shard checkpoint the top-level log records is one its shard signed, and that no entry of a
   * closed shard was recorded at or after its close.
   */
  public ShardVerification verify() {
    return ShardVerification.run(this, false);
  }

  /**
   * As {@link #verify()}, but each shard and the top-level log verify incrementally ({@link
   * AuditLog#verifyIncremental()}): only what came after each one's last good run is read again.
   */
  public ShardVerification verifyIncremental() {
    return ShardVerification.run(this, true);
  }

  /**
   * Stops taking entries: closes every shard (each writes what is queued and signs a final
   * checkpoint), records those checkpoints in the top-level log, and closes it.
   */
  @Override
  public void close() {
    recorder.close();
    shards.values().forEach(AuditLog::close);
    try {
      shards.forEach(
          (id, shard) -> shard.latestCheckpoint().ifPresent(c -> recorder.record(id, c).join()));
    } catch (RuntimeException e) {
      // the next process to open the log records them
    }
    top.close();
    views.forEach(Database::close);
  }
}
