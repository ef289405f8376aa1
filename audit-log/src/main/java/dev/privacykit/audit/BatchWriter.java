package dev.privacykit.audit;

import dev.privacykit.audit.internal.AuditStore;
import dev.privacykit.audit.internal.CheckpointStore;
import dev.privacykit.audit.internal.Frontier;
import dev.privacykit.audit.internal.Partitions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: producers enqueue; one thread drains the queue in batches and writes each batch in
 * one transaction that locks the tree head, inserts rows, subtrees and the new head, and commits;
 * only then are the batch's futures completed with their seqs. A batch that cannot be written fails
 * its futures: nothing is dropped silently.
 */
final class BatchWriter {
  private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

  /** Entries written together, all or none, with their idempotency keys (each possibly null). */
  record Pending(List<AuditEntry> entries, List<String> keys, CompletableFuture<List<Long>> done) {}

  private final AuditStore store;
  private final Partitions partitions;
  private final CheckpointStore checkpoints;
  private final AuditLogConfig config;
  private final ArrayBlockingQueue<Pending> queue;
  private final Thread thread;
  private final AtomicInteger lastBatchSize = new AtomicInteger();
  private final TreeWrites writes;

  /** Groups taken from the queue that did not fit in the last batch; the writer's own. */
  private final java.util.ArrayDeque<Pending> carried = new java.util.ArrayDeque<>();

  /** What is waiting in the queue, in all and per tenant (the queue holds groups). */
  private final QueueAdmission admission;

  /** Set when a batch could not be written; cleared by the next write or probe that succeeds. */
  private volatile boolean failing;

  private long lastProbeNanos;

  private volatile boolean closing;
  private Frontier frontier;
  private long lastCheckpointNanos = System.nanoTime();
  private long lastCheckpointSize = -1;

  BatchWriter(AuditStore store, CheckpointStore checkpoints, AuditLogConfig config) {
    this.store = store;
    this.partitions = new Partitions(store);
    this.checkpoints = checkpoints;
    this.config = config;
    this.writes = new TreeWrites(store, config);
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity);
    this.admission = new QueueAdmission(config.queueCapacity, config.tenantShare);
    this.thread = new Thread(this::run, "privacykit-audit-writer");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  CompletableFuture<List<Long>> submit(List<AuditEntry> entries, List<String> keys) {
    CompletableFuture<List<Long>> done = new CompletableFuture<>();
    if (closing) {
      done.completeExceptionally(new AuditLogException.Closed());
      return done;
    }
    // A barrier (AuditLog.sync, no entries) passes a closed shard: it writes nothing.
    AuditLogException refused = entries.isEmpty() ? null : closedNow();
    if (refused == null) {
      refused = admission.admit(entries);
    }
    if (refused != null) {
      done.completeExceptionally(refused);
      return done;
    }
    return enqueue(entries, keys, done);
  }

  /**
   * Holds room in the queue for one entry of {@code tenant}, to be used by {@link #submitReserved}
   * or given back by {@link #unreserve}.
   *
   * @throws AuditLogException.Overloaded when the queue or the tenant's share is full
   * @throws AuditLogException.Unavailable when the last write failed and the database has not
   *     answered since
   * @throws AuditLogException.Closed when the log is closed
   */
  void reserve(String tenant) {
    if (closing) {
      throw new AuditLogException.Closed();
    }
    if (failing) {
      throw new AuditLogException.Unavailable();
    }
    AuditLogException refused = closedNow();
    if (refused == null) {
      refused = admission.admitOne(tenant);
    }
    if (refused != null) {
      throw refused;
    }
  }

  /** Queues one entry into room held by {@link #reserve} for its tenant. */
  CompletableFuture<List<Long>> submitReserved(AuditEntry entry) {
    CompletableFuture<List<Long>> done = new CompletableFuture<>();
    List<String> keys = new ArrayList<>(1);
    keys.add(null);
    return enqueue(List.of(entry), keys, done);
  }

  /** The refusal of a closed shard, or null while the log is writable. */
  private AuditLogException closedNow() {
    return config.closedAt(Instant.now())
        ? new AuditLogException.ShardClosed(config.origin, config.writableUntil)
        : null;
  }

  /** Gives back room held by {@link #reserve} and not used. */
  void unreserve(String tenant) {
    admission.releaseOne(tenant);
  }

  private CompletableFuture<List<Long>> enqueue(
      List<AuditEntry> entries, List<String> keys, CompletableFuture<List<Long>> done) {
    if (!queue.offer(new Pending(entries, keys, done))) {
      admission.release(entries);
      done.completeExceptionally(new AuditLogException.Overloaded(config.queueCapacity));
    }
    return done;
  }

  private void releaseAll(List<Pending> groups) {
    for (Pending p : groups) {
      admission.release(p.entries());
    }
  }

  /** Whether the last write failed and the database has not answered since. */
  boolean failing() {
    return failing;
  }

  int queueDepth() {
    return admission.queued();
  }

  int lastBatchSize() {
    return lastBatchSize.get();
  }

  /** Writes what is queued, signs a final checkpoint, and stops. */
  void close() {
    closing = true;
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Pending> left = new ArrayList<>(carried);
    carried.clear();
    queue.drainTo(left);
    releaseAll(left);
    left.forEach(p -> p.done.completeExceptionally(new AuditLogException.Closed()));
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(config.maxBatch);
    while (true) {
      try {
        Pending first = carried.isEmpty() ? queue.poll(50, TimeUnit.MILLISECONDS) : carried.poll();
        if (first == null) {
          if (closing) {
            checkpointIfDue(true);
            return;
          }
          probeIfFailing();
          checkpointIfDue(false);
          continue;
        }
        batch.add(first);
        drain(batch);
        if (entries(batch) < config.maxBatch && !config.linger.isZero() && !closing) {
          Thread.sleep(config.linger.toMillis(), (int) (config.linger.toNanos() % 1_000_000));
          drain(batch);
        }
        releaseAll(batch);
        write(batch);
        batch.clear();
        checkpointIfDue(false);
      } catch (InterruptedException e) {
        closing = true;
      } catch (RuntimeException e) {
        log.error("audit writer: unexpected failure: {}", e.toString());
        batch.forEach(p -> p.done.completeExceptionally(e));
        batch.clear();
      }
    }
  }

  /**
   * Takes whole groups while the batch has room (a single large group may exceed it): one bulk
   * {@code drainTo}, so producers and the writer meet on the queue's lock once per batch; a group
   * that does not fit, and every group after it, waits in {@link #carried} for the next batch.
   */
  private void drain(List<Pending> batch) {
    int size = entries(batch);
    boolean full = false;
    while (!carried.isEmpty() && !full) {
      Pending next = carried.peek();
      if (size > 0 && size + next.entries().size() > config.maxBatch) {
        full = true;
      } else {
        batch.add(carried.poll());
        size += next.entries().size();
      }
    }
    if (full || size >= config.maxBatch) {
      return;
    }
    List<Pending> taken = new ArrayList<>();
    queue.drainTo(taken, config.maxBatch - size);
    for (Pending next : taken) {
      if (full || (size > 0 && size + next.entries().size() > config.maxBatch)) {
        full = true;
        carried.add(next);
      } else {
        batch.add(next);
        size += next.entries().size();
      }
    }
  }

  /** While failing, asks the database every 250 ms whether it is back, so admissions resume. */
  private void probeIfFailing() {
    if (!failing || System.nanoTime() - lastProbeNanos < 250_000_000L) {
      return;
    }
    lastProbeNanos = System.nanoTime();
    try {
      store.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
      failing = false;
    } catch (RuntimeException e) {
      // still away
    }
  }

  private static int entries(List<Pending> batch) {
    int n = 0;
    for (Pending p : batch) {
      n += p.entries().size();
    }
    return n;
  }

  private void write(List<Pending> batch) {
    if (entries(batch) == 0) {
      // Only barriers (AuditLog.sync): everything queued before them is written already.
      batch.forEach(p -> p.done.complete(List.of()));
      return;
    }
    RuntimeException failure = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        // outside the append's transaction: partitions of PostgreSQL's entry tables, made ahead
        partitions.ensureRoom(
            (frontier != null ? frontier.size() : store.state().size()) + entries(batch));
        List<TreeWrites.Outcome> outcomes = store.jdbi().inTransaction(h -> writeLocked(h, batch));
        int written = 0;
        for (int i = 0; i < batch.size(); i++) {
          TreeWrites.Outcome outcome = outcomes.get(i);
          if (outcome.conflict() != null) {
            batch.get(i).done.completeExceptionally(outcome.conflict());
          } else {
            batch.get(i).done.complete(outcome.seqs());
            written += outcome.seqs().size();
          }
        }
        lastBatchSize.set(written);
        failing = false;
        return;
      } catch (AuditLogException.ShardClosed closed) {
        // Closed while the batch waited: nothing was written and the database is fine.
        batch.forEach(p -> p.done.completeExceptionally(closed));
        return;
      } catch (Partitions.NoRoom e) {
        frontier = null; // another process moved the head on: not a failure, write again
        attempt--;
      } catch (RuntimeException e) {
        frontier = null;
        failure = e;
      }
    }
    failing = true;
    log.warn(
        "audit writer: a batch of {} entries could not be written: {}",
        batch.size(),
        failure.getClass().getSimpleName());
    AuditLogException error =
        new AuditLogException(
            "audit entries could not be written: " + failure.getClass().getSimpleName(), failure);
    batch.forEach(p -> p.done.completeExceptionally(error));
  }

  /** Locks the head, writes the batch under it, and keeps the frontier for the next batch. */
  private List<TreeWrites.Outcome> writeLocked(org.jdbi.v3.core.Handle h, List<Pending> batch) {
    AuditStore.State head = store.lockState(h);
    partitions.checkRoom(head.size() + entries(batch));
    Frontier tree = writes.frontierAt(h, head, frontier);
    List<TreeWrites.Outcome> outcomes = writes.write(h, tree, batch);
    this.frontier = tree;
    return outcomes;
  }

  /** Signs a checkpoint of the current head if it grew and the interval passed (or if forced). */
  void checkpointIfDue(boolean force) {
    long now = System.nanoTime();
    if (!force && now - lastCheckpointNanos < config.checkpointInterval.toNanos()) {
      return;
    }
    try {
      AuditStore.State head = store.state();
      if (head.size() > lastCheckpointSize) {
        sign(head);
        lastCheckpointSize = head.size();
      }
      lastCheckpointNanos = now;
    } catch (RuntimeException e) {
      log.warn("audit writer: checkpoint failed: {}", e.getClass().getSimpleName());
    }
  }

  /** Signs and stores a checkpoint of {@code head} (kept if one of that size exists already). */
  Checkpoint sign(AuditStore.State head) {
    String note = config.signer.signNote(Checkpoint.body(config.origin, head.size(), head.root()));
    checkpoints.insert(head.size(), head.root(), note);
    return Checkpoint.parseBody(Checkpoint.body(config.origin, head.size(), head.root()), note);
  }
}
