package dev.privacykit.audit;

import dev.privacykit.audit.internal.AuditStore;
import dev.privacykit.audit.internal.EntryCodec;
import dev.privacykit.audit.internal.Frontier;
import dev.privacykit.audit.internal.Merkle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
  private final String verifierKey;

  Verifier(AuditStore store, String verifierKey) {
    this.store = store;
    this.verifierKey = verifierKey;
  }

  Verification run() {
    // The log as of this head: entries and checkpoints committed while the run goes on are left
    // for the next run, so a verification never races the writer.
    AuditStore.State head = store.state();
    TreeMap<Long, byte[]> checkpoints = new TreeMap<>();
    List<Map<String, Object>> stored =
        store
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT tree_size, root, note FROM audit_checkpoints WHERE tree_size <= :head"
                                + " ORDER BY tree_size")
                        .bind("head", head.size())
                        .mapToMap()
                        .list());
    long lastGood = -1;
    for (Map<String, Object> row : stored) {
      long size = ((Number) row.get("tree_size")).longValue();
      Checkpoint checkpoint;
      try {
        checkpoint = Checkpoint.verify((String) row.get("note"), verifierKey);
      } catch (AuditLogException e) {
        return failed(
            stored.size(),
            size,
            Verification.Kind.SIGNATURE,
            "signature does not verify",
            "checkpoint at size " + size,
            lastGood);
      }
      if (checkpoint.size() != size
          || !Arrays.equals(checkpoint.root(), (byte[]) row.get("root"))) {
        return failed(
            stored.size(),
            size,
            Verification.Kind.SIGNATURE,
            "signed size " + checkpoint.size() + " root " + checkpoint.rootHex(),
            "size " + size + " root " + HEX.formatHex((byte[]) row.get("root")),
            lastGood);
      }
      checkpoints.put(size, checkpoint.root());
    }
    long pruneBoundary =
        store
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT COALESCE(MAX(before_seq), 0) FROM audit_prunes")
                        .mapTo(Long.class)
                        .one());

    Frontier tree = new Frontier();
    long next = 0;
    while (true) {
      long from = next;
      List<EntryCodec.Fields> rows = new ArrayList<>();
      List<byte[]> leaves = new ArrayList<>();
      store
          .jdbi()
          .useHandle(
              h ->
                  h.createQuery(
                          "SELECT * FROM audit_entries WHERE seq >= :from AND seq < :head"
                              + " ORDER BY seq LIMIT :n")
                      .bind("from", from)
                      .bind("head", head.size())
                      .bind("n", CHUNK)
                      .map(
                          (rs, ctx) -> {
                            rows.add(AuditStore.fields(rs));
                            leaves.add(rs.getBytes("leaf_hash"));
                            return 0;
                          })
                      .list());
      if (rows.isEmpty()) {
        break;
      }
      long last = rows.get(rows.size() - 1).seq();
      Map<Long, byte[]> bodies = new HashMap<>();
      Map<Long, byte[]> subtrees = new HashMap<>();
      store
          .jdbi()
          .useHandle(
              h -> {
                h.createQuery("SELECT seq, body FROM audit_bodies WHERE seq BETWEEN :a AND :b")
                    .bind("a", from)
                    .bind("b", last)
                    .map((rs, ctx) -> bodies.put(rs.getLong(1), rs.getBytes(2)))
                    .list();
                h.createQuery(
                        "SELECT level, idx, hash FROM audit_subtrees WHERE end_leaf BETWEEN :a AND :b")
                    .bind("a", from)
                    .bind("b", last)
                    .map(
                        (rs, ctx) -> subtrees.put(key(rs.getInt(1), rs.getLong(2)), rs.getBytes(3)))
                    .list();
              });
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
          if (!dev.privacykit.audit.internal.ProofBuilder.isStored(node.level())) {
            continue;
          }
          byte[] expected = subtrees.get(key(node.level(), node.index()));
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
    long beyondHead =
        store
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT COUNT(*) FROM audit_entries WHERE seq >= :head")
                        .bind("head", head.size())
                        .mapTo(Long.class)
                        .one());
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

  private static long key(int level, long index) {
    return (index << 6) | level;
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
