package dev.privacykit.audit.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of a Merkle tree: the perfect subtrees whose sizes are the binary digits of the
 * tree size, largest first. Adding a leaf merges equal-sized subtrees and reports each completed
 * node. Not thread-safe. Not API.
 */
public final class Frontier {
  /** A completed interior node. */
  public record Completed(int level, long index, byte[] hash) {}

  private final List<byte[]> hashes = new ArrayList<>();
  private final List<Integer> levels = new ArrayList<>();
  private long size;

  /** An empty tree. */
  public Frontier() {}

  /** The frontier of a tree of {@code size} leaves, from its perfect subtrees (largest first). */
  public Frontier(long size, List<byte[]> subtrees) {
    List<long[]> nodes = Merkle.frontierNodes(size);
    if (nodes.size() != subtrees.size()) {
      throw new IllegalArgumentException(
          "a tree of " + size + " leaves has " + nodes.size() + " frontier subtrees");
    }
    for (int i = 0; i < nodes.size(); i++) {
      levels.add((int) nodes.get(i)[0]);
      hashes.add(subtrees.get(i));
    }
    this.size = size;
  }

  /** Leaves so far. */
  public long size() {
    return size;
  }

  /** Adds a leaf; returns the interior nodes it completed, lowest first. */
  public List<Completed> add(byte[] leafHash) {
    long index = size;
    hashes.add(leafHash);
    levels.add(0);
    size++;
    List<Completed> completed = new ArrayList<>(0);
    while (levels.size() >= 2
        && levels.get(levels.size() - 1).equals(levels.get(levels.size() - 2))) {
      byte[] right = hashes.remove(hashes.size() - 1);
      byte[] left = hashes.remove(hashes.size() - 1);
      int level = levels.remove(levels.size() - 1) + 1;
      levels.remove(levels.size() - 1);
      byte[] node = Merkle.nodeHash(left, right);
      hashes.add(node);
      levels.add(level);
      completed.add(new Completed(level, index >> level, node));
    }
    return completed;
  }

  /** The root of the tree so far. */
  public byte[] root() {
    return Merkle.rootOfFrontier(hashes);
  }

  /** A copy. */
  public Frontier copy() {
    Frontier copy = new Frontier();
    copy.hashes.addAll(hashes);
    copy.levels.addAll(levels);
    copy.size = size;
    return copy;
  }
}
