package dev.privacykit.audit.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds RFC 9162 inclusion and consistency proofs from stored perfect subtrees. A proof needs the
 * hashes of O(log n) ranges; each range is either a perfect, aligned subtree (one stored node) or
 * the right edge of the tree (a few stored nodes combined). The builder first collects every node
 * it needs, fetches them all at once, then computes. Not API.
 */
public final class ProofBuilder {
  /**
   * A perfect subtree: {@code level} 0 is a leaf; it covers leaves [index·2^level,
   * (index+1)·2^level).
   */
  public record Node(int level, long index) {}

  private final Function<Set<Node>, Map<Node, byte[]>> fetch;

  /** A builder that reads stored nodes with {@code fetch} (leaves are level 0). */
  public ProofBuilder(Function<Set<Node>, Map<Node, byte[]>> fetch) {
    this.fetch = fetch;
  }

  /** The audit path of leaf {@code index} in a tree of {@code size} (RFC 9162 §2.1.3.1). */
  public List<byte[]> inclusion(long index, long size) {
    List<long[]> ranges = new ArrayList<>();
    inclusionRanges(index, 0, size, ranges);
    return hashes(ranges);
  }

  /** The consistency proof from size {@code m} to size {@code n} (RFC 9162 §2.1.4.1). */
  public List<byte[]> consistency(long m, long n) {
    List<long[]> ranges = new ArrayList<>();
    if (m > 0 && m < n) {
      subproof(m, 0, n, true, ranges);
    }
    return hashes(ranges);
  }

  /** The root of the first {@code size} leaves. */
  public byte[] root(long size) {
    if (size == 0) {
      return Merkle.emptyRoot();
    }
    List<long[]> ranges = new ArrayList<>();
    ranges.add(new long[] {0, size});
    return hashes(ranges).get(0);
  }

  private static void inclusionRanges(long m, long start, long end, List<long[]> out) {
    long n = end - start;
    if (n <= 1) {
      return;
    }
    long k = Merkle.split(n);
    if (m < k) {
      inclusionRanges(m, start, start + k, out);
      out.add(new long[] {start + k, end});
    } else {
      inclusionRanges(m - k, start + k, end, out);
      out.add(new long[] {start, start + k});
    }
  }

  private static void subproof(long m, long start, long end, boolean complete, List<long[]> out) {
    long n = end - start;
    if (m == n) {
      if (!complete) {
        out.add(new long[] {start, end});
      }
      return;
    }
    long k = Merkle.split(n);
    if (m <= k) {
      subproof(m, start, start + k, complete, out);
      out.add(new long[] {start + k, end});
    } else {
      subproof(m - k, start + k, end, false, out);
      out.add(new long[] {start, start + k});
    }
  }

  private List<byte[]> hashes(List<long[]> ranges) {
    Set<Node> needed = new LinkedHashSet<>();
    for (long[] range : ranges) {
      collect(range[0], range[1], needed);
    }
    Map<Node, byte[]> nodes = needed.isEmpty() ? Map.of() : fetch.apply(needed);
    List<byte[]> out = new ArrayList<>();
    for (long[] range : ranges) {
      out.add(compute(range[0], range[1], nodes));
    }
    return out;
  }

  /**
   * Whether a perfect subtree of this level is stored: leaves (level 0, in the entries) and every
   * {@value #STEP}th level above. A node between stored levels is recomputed from the stored nodes
   * below it (at most 2^({@value #STEP} - 1) of them), which keeps the stored nodes near N / 15.
   */
  public static boolean isStored(int level) {
    return level % STEP == 0;
  }

  /** Stored levels are multiples of this. */
  public static final int STEP = 4;

  /** The stored nodes that make up leaves [start, end). */
  private static void collect(long start, long end, Set<Node> out) {
    long n = end - start;
    if (Long.bitCount(n) == 1 && start % n == 0) {
      int level = Long.numberOfTrailingZeros(n);
      int below = level - level % STEP;
      long width = 1L << below;
      for (long at = start; at < end; at += width) {
        out.add(new Node(below, at >> below));
      }
      return;
    }
    long k = Merkle.split(n);
    collect(start, start + k, out);
    collect(start + k, end, out);
  }

  private static byte[] compute(long start, long end, Map<Node, byte[]> nodes) {
    long n = end - start;
    if (Long.bitCount(n) == 1 && start % n == 0) {
      int level = Long.numberOfTrailingZeros(n);
      if (isStored(level)) {
        byte[] hash = nodes.get(new Node(level, start >> level));
        if (hash == null) {
          throw new IllegalStateException(
              "the audit log is missing the subtree of leaves " + start + " to " + (end - 1));
        }
        return hash;
      }
    }
    if (n == 1) {
      throw new IllegalStateException("the audit log is missing leaf " + start);
    }
    long k = Merkle.split(n);
    return Merkle.nodeHash(compute(start, start + k, nodes), compute(start + k, end, nodes));
  }

  /** The hashes of the given leaf ranges [start, end), fetched in one go. */
  public List<byte[]> rangeHashes(List<long[]> ranges) {
    return hashes(ranges);
  }
}
