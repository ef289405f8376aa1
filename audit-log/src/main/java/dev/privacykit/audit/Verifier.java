package dev.privacykit.audit;

import dev.privacykit.audit.internal.AuditStore;
import dev.privacykit.audit.internal.CheckpointStore;
import dev.privacykit.audit.internal.EntryCodec;
import dev.privacykit.audit.internal.EntryStore;
import dev.privacykit.audit.internal.Frontier;
import dev.privacykit.audit.internal.Merkle;
import dev.privacykit.audit.internal.ProofBuilder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Recomputes the whole log: every leaf from its row (and its body's hash), every stored subtree,
 * every signed checkpoint's root and signature, and the tree head; reports the first failure. Reads
 * in chunks of {@value #CHUNK} entries, so memory stays bounded.
 */
final class Verifier {
  private static final int CHUNK = 10_000;
  private static final HexFormat HEX = HexFormat.of();

  private final AuditStore store;
  private final EntryStore entries;
  private final CheckpointStore signed;
  private final String verifierKey;

  Verifier(AuditStore store, EntryStore entries, CheckpointStore signed, String verifierKey) {
    this.store = store;
    this.entries = entries;
    this.signed = signed;
    this.verifierKey = verifierKey;
  }

  /** Verifies the whole log. */
  Verification run() {
    return run(store.state(), 0, new Frontier());
  }

  /**
   * Verifies the log as of {@code head} from {@code from} entries on, the tree of the first {@code
   * from} entries given as its frontier {@code start} (proved by an earlier run): every entry,
   * body, subtree and checkpoint after {@code from}, and the head. O(new entries).
   */
  Verification run(AuditStore.State head, long from, Frontier start) {
    if (start.size() != from) {
      throw new IllegalArgumentException("the start frontier is not of size " + from);
    }
    try (Prefetch prefetch = new Prefetch(head.size())) {
      return check(head, from, start, prefetch);
    }
  }

  /**
   * Reads the next chunk while the current one is checked, so a run takes about as long as the
   * slower of reading and hashing, not their sum.
   */
  private final class Prefetch implements AutoCloseable {
    private final java.util.concurrent.ExecutorService executor =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
              Thread thread = new Thread(r, "privacykit-verify-read");
              thread.setDaemon(true);
              return thread;
            });
    private final long head;
    private long pendingFrom = -1;
    private java.util.concurrent.Future<EntryStore.Chunk> pending;

    Prefetch(long head) {
      this.head = head;
    }

    EntryStore.Chunk take(long from) {
      EntryStore.Chunk chunk =
          pending != null && pendingFrom == from ? join(pending) : entries.chunk(from, head, CHUNK);
      long following = from + chunk.entries().size();
      if (!chunk.entries().isEmpty() && following < head) {
        pendingFrom = following;
        pending = executor.submit(() -> entries.chunk(following, head, CHUNK));
      } else {
        pending = null;
      }
      return chunk;
    }

    private EntryStore.Chunk join(java.util.concurrent.Future<EntryStore.Chunk> future) {
      try {
        return future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AuditLogException("verification interrupted");
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new AuditLogException("verification could not read the log");
      }
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }

  private Verification check(AuditStore.State head, long from, Frontier start, Prefetch prefetch) {
    // The log as of this head: entries and checkpoints committed while the run goes on are left
    // for the next run, so a verification never races the writer.
    TreeMap<Long, byte[]> checkpoints = new TreeMap<>();
    List<CheckpointStore.Stored> stored = signed.between(from == 0 ? -1 : from, head.size());
    long lastGood = from > 0 ? from : -1;
    for (CheckpointStore.Stored row : stored) {
      long size = row.size();
      Checkpoint checkpoint;
      try {
        checkpoint = Checkpoint.verify(row.note(), verifierKey);
      } catch (AuditLogException e) {
        return failed(
            stored.size(),
            size,
            Verification.Kind.SIGNATURE,
            "signature does not verify",
            "checkpoint at size " + size,
            lastGood);
      }
      if (checkpoint.size() != size || !Arrays.equals(checkpoint.root(), row.root())) {
        return failed(
            stored.size(),
            size,
            Verification.Kind.SIGNATURE,
            "signed size " + checkpoint.size() + " root " + checkpoint.rootHex(),
            "size " + size + " root " + HEX.formatHex(row.root()),
            lastGood);
      }
      checkpoints.put(size, checkpoint.root());
    }
    long pruneBoundary = announcedPruneBoundary(head.size());

    Frontier tree = start;
    long next = from;
    while (true) {
      EntryStore.Chunk chunk = prefetch.take(next);
      List<EntryCodec.Fields> rows = chunk.entries();
      if (rows.isEmpty()) {
        break;
      }
      List<byte[]> leaves = chunk.leaves();
      Map<Long, byte[]> bodies = chunk.bodies();
      Map<ProofBuilder.Node, byte[]> subtrees = chunk.subtrees();
      for (int i = 0; i < rows.size(); i++) {
        EntryCodec.Fields f = rows.get(i);
        long good = lastGood;
        if (f.seq() != next) {
          return failed(
              checkpoints.size(),
              next,
              Verification.Kind.GAP,
              "entry " + next,
              "next entry is " + f.seq(),
              good);
        }
        byte[] calculated = EntryCodec.leaf(f);
        if (!Arrays.equals(calculated, leaves.get(i))) {
          return failed(
              checkpoints.size(),
              next,
              Verification.Kind.LEAF,
              HEX.formatHex(calculated),
              HEX.formatHex(leaves.get(i)),
              good);
        }
        if (f.bodyHash() != null) {
          byte[] body = bodies.get(f.seq());
          if (body == null && f.seq() >= pruneBoundary) {
            return failed(
                checkpoints.size(),
                next,
                Verification.Kind.LEAF,
                "body missing",
                "body hash " + HEX.formatHex(f.bodyHash()),
                good);
          }
          if (body != null && !Arrays.equals(Merkle.sha256(body), f.bodyHash())) {
            return failed(
                checkpoints.size(),
                next,
                Verification.Kind.LEAF,
                "body hash " + HEX.formatHex(Merkle.sha256(body)),
                "body hash " + HEX.formatHex(f.bodyHash()),
                good);
          }
        }
        for (Frontier.Completed node : tree.add(leaves.get(i))) {
          if (!ProofBuilder.isStored(node.level())) {
            continue;
          }
          byte[] expected = subtrees.get(new ProofBuilder.Node(node.level(), node.index()));
          if (expected == null || !Arrays.equals(expected, node.hash())) {
            return failed(
                checkpoints.size(),
                next,
                Verification.Kind.SUBTREE,
                "level " + node.level() + " node " + HEX.formatHex(node.hash()),
                expected == null ? "missing" : HEX.formatHex(expected),
                good);
          }
        }
        next++;
        byte[] signed = checkpoints.get(next);
        if (signed != null) {
          byte[] root = tree.root();
          if (!Arrays.equals(root, signed)) {
            return failed(
                checkpoints.size(),
                next - 1,
                Verification.Kind.INCONSISTENT,
                HEX.formatHex(root),
                "checkpoint " + next + " root " + HEX.formatHex(signed),
                lastGood);
          }
          lastGood = next;
        }
      }
    }
    long beyondHead = entries.countFrom(head.size());
    // Rows past the head read at the start are fine only if the writer committed them since.
    long committedSince = store.state().size() - head.size();
    if (next == head.size() && beyondHead > committedSince) {
      return failed(
          checkpoints.size(),
          next,
          Verification.Kind.GAP,
          (next + beyondHead) + " entries",
          "head says " + (head.size() + committedSince),
          lastGood);
    }
    if (next != head.size()) {
      return failed(
          checkpoints.size(),
          next,
          Verification.Kind.GAP,
          next + " entries",
          "head says " + head.size(),
          lastGood);
    }
    Map.Entry<Long, byte[]> beyond = checkpoints.higherEntry(next);
    if (beyond != null) {
      return failed(
          checkpoints.size(),
          next,
          Verification.Kind.INCONSISTENT,
          next + " entries",
          "checkpoint signed at size " + beyond.getKey(),
          lastGood);
    }
    byte[] root = tree.root();
    if (!Arrays.equals(root, head.root())) {
      return failed(
          checkpoints.size(),
          Math.max(0, next - 1),
          Verification.Kind.ROOT,
          HEX.formatHex(root),
          HEX.formatHex(head.root()),
          lastGood);
    }
    return new Verification(next, checkpoints.size(), Optional.empty());
  }

  /**
   * The highest prune boundary that is both in the prune table and announced by a PRUNE entry in
   * the log (request id {@code prune:<seq>}): bodies may be missing below it, and nowhere else. A
   * row added to the prune table alone, without the log saying so, proves nothing.
   */
  private long announcedPruneBoundary(long head) {
    List<Long> rows = entries.pruneRows();
    if (rows.isEmpty()) {
      return 0; // nothing was pruned: no need to look for announcements
    }
    // An announcement is appended before the bodies below its boundary go: at or past it.
    long lowest = rows.stream().mapToLong(Long::longValue).min().orElse(0);
    java.util.Set<Long> announced = new java.util.HashSet<>();
    for (String requestId : entries.pruneAnnouncements(head, lowest)) {
      if (requestId != null && requestId.startsWith(AuditLog.PRUNE_PREFIX)) {
        try {
          announced.add(Long.parseLong(requestId.substring(AuditLog.PRUNE_PREFIX.length())));
        } catch (NumberFormatException e) {
          // not a boundary this version wrote
        }
      }
    }
    long boundary = 0;
    for (long row : rows) {
      if (announced.contains(row)) {
        boundary = Math.max(boundary, row);
      }
    }
    return boundary;
  }

  private static Verification failed(
      long checkpoints,
      long seq,
      Verification.Kind kind,
      String calculated,
      String stored,
      long lastGood) {
    return new Verification(
        seq,
        checkpoints,
        Optional.of(new Verification.Failure(seq, kind, calculated, stored, lastGood)));
  }
}
