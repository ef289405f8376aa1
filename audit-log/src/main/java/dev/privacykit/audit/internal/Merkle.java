package dev.privacykit.audit.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 6962 / RFC 9162 Merkle tree hashing and proof checking. Leaf = SHA-256(0x00 || data); node =
 * SHA-256(0x01 || left || right); the empty tree's root is SHA-256(""). Not API.
 */
public final class Merkle {
  /** Hash length in bytes. */
  public static final int HASH = 32;

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  private Merkle() {}

  /** SHA-256 of {@code data}. */
  public static byte[] sha256(byte[] data) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    return digest.digest(data);
  }

  /** The root of the empty tree. */
  public static byte[] emptyRoot() {
    return sha256(new byte[0]);
  }

  /** The leaf hash of {@code data}. */
  public static byte[] leafHash(byte[] data) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    digest.update((byte) 0);
    return digest.digest(data);
  }

  /** The interior node hash of two children. */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    digest.update((byte) 1);
    digest.update(left);
    return digest.digest(right);
  }

  /** The largest power of two strictly less than {@code n} (n > 1). */
  public static long split(long n) {
    return Long.highestOneBit(n - 1);
  }

  /**
   * The root of a tree given its perfect subtrees from left to right, as in a compact range: the
   * subtrees for the binary digits of the size, largest first.
   */
  /**
   * The Merkle tree hash over nodes already hashed (RFC 6962 split: largest power of two first).
   */
  public static byte[] rootOf(List<byte[]> nodes) {
    return nodes.isEmpty() ? emptyRoot() : rootOf(nodes, 0, nodes.size());
  }

  private static byte[] rootOf(List<byte[]> nodes, int from, int to) {
    if (to - from == 1) {
      return nodes.get(from);
    }
    int k = Integer.highestOneBit(to - from - 1);
    return nodeHash(rootOf(nodes, from, from + k), rootOf(nodes, from + k, to));
  }

  public static byte[] rootOfFrontier(List<byte[]> frontier) {
    if (frontier.isEmpty()) {
      return emptyRoot();
    }
    byte[] root = frontier.get(frontier.size() - 1);
    for (int i = frontier.size() - 2; i >= 0; i--) {
      root = nodeHash(frontier.get(i), root);
    }
    return root;
  }

  /**
   * The (level, index) of the perfect subtrees that make up a tree of {@code size} leaves, left to
   * right: one per set bit of the size.
   */
  public static List<long[]> frontierNodes(long size) {
    List<long[]> nodes = new ArrayList<>();
    long start = 0;
    for (int level = 63; level >= 0; level--) {
      long width = 1L << level;
      if ((size & width) != 0) {
        nodes.add(new long[] {level, start >> level});
        start += width;
      }
    }
    return nodes;
  }

  /**
   * Checks an inclusion proof (RFC 9162 §2.1.3.2): that the leaf with {@code leafHash} is at {@code
   * index} in the tree of {@code size} leaves whose root is {@code root}.
   */
  public static boolean verifyInclusion(
      byte[] leafHash, long index, long size, List<byte[]> path, byte[] root) {
    byte[] computed = rootFromInclusion(leafHash, index, size, path);
    return computed != null && Arrays.equals(computed, root);
  }

  /** The root an inclusion proof leads to, or null if the proof is malformed. */
  public static byte[] rootFromInclusion(
      byte[] leafHash, long index, long size, List<byte[]> path) {
    if (index < 0 || index >= size) {
      return null;
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : path) {
      if (sn == 0) {
        return null;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 ? r : null;
  }

  /**
   * Checks a consistency proof (RFC 9162 §2.1.4.2): that the tree of {@code size1} leaves with
   * {@code root1} is a prefix of the tree of {@code size2} leaves with {@code root2}.
   */
  public static boolean verifyConsistency(
      long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
    if (size1 < 0 || size2 < size1) {
      return false;
    }
    if (size1 == size2) {
      return proof.isEmpty() && Arrays.equals(root1, root2);
    }
    if (size1 == 0) {
      return proof.isEmpty();
    }
    if (proof.isEmpty()) {
      return false;
    }
    List<byte[]> path = new ArrayList<>(proof);
    if (Long.bitCount(size1) == 1) {
      path.add(0, root1);
    }
    if (path.isEmpty()) {
      return false;
    }
    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (int i = 1; i < path.size(); i++) {
      byte[] c = path.get(i);
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = nodeHash(c, fr);
        sr = nodeHash(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        sr = nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && Arrays.equals(fr, root1) && Arrays.equals(sr, root2);
  }
}
