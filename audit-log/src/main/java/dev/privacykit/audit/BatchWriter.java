package dev.privacykit.audit;

import dev.privacykit.audit.internal.AuditStore;
import dev.privacykit.audit.internal.CheckpointStore;
import dev.privacykit.audit.internal.EntryCodec;
import dev.privacykit.audit.internal.Frontier;
import dev.privacykit.audit.internal.Merkle;
import dev.privacykit.audit.internal.ProofBuilder;
import dev.privacykit.crypto.FieldContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

  record Pending(AuditEntry entry, CompletableFuture<Long> done) {}

  private final AuditStore store;
  private final CheckpointStore checkpoints;
  private final AuditLogConfig config;
  private final ArrayBlockingQueue<Pending> queue;
  private final Thread thread;
  private final AtomicInteger lastBatchSize = new AtomicInteger();
  private volatile boolean closing;
  private Frontier frontier;
  private long lastCheckpointNanos = System.nanoTime();
  private long lastCheckpointSize = -1;

  BatchWriter(AuditStore store, CheckpointStore checkpoints, AuditLogConfig config) {
    this.store = store;
    this.checkpoints = checkpoints;
    this.config = config;
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity);
    this.thread = new Thread(this::run, "privacykit-audit-writer");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  CompletableFuture<Long> submit(AuditEntry entry) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    if (closing) {
      done.completeExceptionally(new AuditLogException.Closed());
    } else if (!queue.offer(new Pending(entry, done))) {
      done.completeExceptionally(new AuditLogException.Overloaded(config.queueCapacity));
    }
    return done;
  }

  int queueDepth() {
    return queue.size();
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
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(p -> p.done.completeExceptionally(new AuditLogException.Closed()));
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(config.maxBatch);
    while (true) {
      try {
        Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing) {
            checkpointIfDue(true);
            return;
          }
          checkpointIfDue(false);
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, config.maxBatch - batch.size());
        if (batch.size() < config.maxBatch && !config.linger.isZero() && !closing) {
          Thread.sleep(config.linger.toMillis(), (int) (config.linger.toNanos() % 1_000_000));
          queue.drainTo(batch, config.maxBatch - batch.size());
        }
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

  private void write(List<Pending> batch) {
    RuntimeException failure = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        long first = store.jdbi().inTransaction(h -> writeLocked(h, batch));
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).done.complete(first + i);
        }
        lastBatchSize.set(batch.size());
        return;
      } catch (RuntimeException e) {
        frontier = null;
        failure = e;
      }
    }
    log.warn(
        "audit writer: a batch of {} entries could not be written: {}",
        batch.size(),
        failure.getClass().getSimpleName());
    AuditLogException error =
        new AuditLogException(
            "audit entries could not be written: " + failure.getClass().getSimpleName(), failure);
    batch.forEach(p -> p.done.completeExceptionally(error));
  }

  private long writeLocked(org.jdbi.v3.core.Handle h, List<Pending> batch) {
    AuditStore.State head = store.lockState(h);
    Frontier tree = frontierFor(h, head);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    List<AuditStore.NewRow> rows = new ArrayList<>(batch.size());
    List<AuditStore.NewNode> nodes = new ArrayList<>();
    for (Pending pending : batch) {
      AuditEntry e = pending.entry;
      long seq = tree.size();
      byte[] body = encryptBody(e, seq);
      EntryCodec.Fields fields =
          EntryCodec.Fields.of(
              seq, now, e.storedFields(), body == null ? null : Merkle.sha256(body));
      byte[] leaf = EntryCodec.leaf(fields);
      rows.add(new AuditStore.NewRow(fields, leaf, body));
      for (Frontier.Completed c : tree.add(leaf)) {
        if (ProofBuilder.isStored(c.level())) {
          nodes.add(new AuditStore.NewNode(c.level(), c.index(), seq, c.hash()));
        }
      }
    }
    store.insert(h, rows, nodes, new AuditStore.State(tree.size(), tree.root()));
    this.frontier = tree;
    return head.size();
  }

  /** The frontier at the locked head: the cached one if nobody else appended, else read again. */
  private Frontier frontierFor(org.jdbi.v3.core.Handle h, AuditStore.State head) {
    if (frontier != null && frontier.size() == head.size()) {
      return frontier.copy();
    }
    List<long[]> ranges = new ArrayList<>();
    long start = 0;
    for (long[] node : Merkle.frontierNodes(head.size())) {
      long width = 1L << node[0];
      ranges.add(new long[] {start, start + width});
      start += width;
    }
    List<byte[]> hashes;
    try {
      hashes = new ProofBuilder(wanted -> store.nodes(h, wanted)).rangeHashes(ranges);
    } catch (IllegalStateException e) {
      throw new AuditLogException(e.getMessage() + "; run verify()");
    }
    Frontier loaded = new Frontier(head.size(), hashes);
    if (!java.util.Arrays.equals(loaded.root(), head.root())) {
      throw new AuditLogException("the audit log's head does not match its subtrees; run verify()");
    }
    return loaded;
  }

  private byte[] encryptBody(AuditEntry e, long seq) {
    if (e.body() == null) {
      return null;
    }
    if (config.subjectKeys == null) {
      throw new AuditLogException(
          "this audit log has no SubjectKeys, so entries cannot carry bodies");
    }
    try {
      return config
          .subjectKeys
          .cipher(e.tenant(), e.subject())
          .encrypt(e.body().getBytes(StandardCharsets.UTF_8), bodyContext(e.tenant(), seq));
    } catch (GeneralSecurityException ex) {
      throw new AuditLogException("an entry body could not be encrypted: " + ex.getMessage(), ex);
    }
  }

  static FieldContext bodyContext(String tenant, long seq) {
    return FieldContext.of(tenant, "audit_bodies", "body", Long.toString(seq));
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
