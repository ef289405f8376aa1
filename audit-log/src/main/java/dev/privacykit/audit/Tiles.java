package dev.privacykit.audit;

import dev.privacykit.audit.internal.Merkle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The log's Merkle tree as static files in the C2SP tlog-tiles layout: {@code tile/<L>/<N>[.p/<W>]}
 * (256 hashes of 32 bytes per full tile; level 0 holds leaf hashes) and {@code checkpoint}. Anyone
 * can compute inclusion and consistency proofs from them with any static web server in between.
 * Leaves are salted hashes of the entries, so tiles carry no personal data; the entries themselves
 * stay behind the API (a subject or tenant proves an entry by recomputing its leaf from the fields
 * the API gives it). This class reads tiles too ({@link #root}, {@link #inclusionPath}): the
 * offline verifier of {@code audit proof verify}.
 */
public final class Tiles {
  static final int WIDTH = 256;
  private final Path directory;

  private Tiles(Path directory) {
    this.directory = directory;
  }

  /** Tiles in {@code directory} (written by {@link AuditLog#exportTiles} or read offline). */
  public static Tiles in(Path directory) {
    return new Tiles(directory);
  }

  /**
   * The path of an entry bundle of non-personal fields. Not the tlog-tiles {@code tile/entries}
   * bundles (those hash to the leaves, and ours would need the personal fields to): the spec's
   * "entries in a different format, at a different URL".
   */
  static String entriesPath(long index, int partialWidth) {
    return path(0, index, partialWidth).replaceFirst("^tile/0/", "tile/privacykit-entries/");
  }

  /** The path of a tile, index encoded as C2SP tlog-tiles says ({@code x001/x234/067}). */
  static String path(int level, long index, int partialWidth) {
    StringBuilder n = new StringBuilder();
    String digits = Long.toString(index);
    int groups = Math.max(1, (digits.length() + 2) / 3);
    String padded = "0".repeat(groups * 3 - digits.length()) + digits;
    for (int g = 0; g < groups; g++) {
      n.append(g < groups - 1 ? "x" : "").append(padded, g * 3, g * 3 + 3);
      if (g < groups - 1) {
        n.append('/');
      }
    }
    return "tile/" + level + "/" + n + (partialWidth > 0 ? ".p/" + partialWidth : "");
  }

  /**
   * Writes the tiles of the first {@code size} leaves: full tiles that exist are kept (they never
   * change) and read back instead of recomputed, partial tiles for {@code size} are written, and
   * the checkpoint file last. {@code leaves} gives the leaf hashes of a range on demand.
   */
  void write(long size, LeafSource leaves, String checkpointNote) throws IOException {
    List<byte[]> level = null;
    long count = size;
    for (int l = 0; count > 0 || l == 0; l++) {
      List<byte[]> above = new ArrayList<>();
      long fullTiles = count / WIDTH;
      int partial = (int) (count % WIDTH);
      for (long t = 0; t <= fullTiles; t++) {
        int width = t < fullTiles ? WIDTH : partial;
        if (width == 0) {
          break;
        }
        Path file = directory.resolve(path(l, t, width == WIDTH ? 0 : width));
        List<byte[]> hashes;
        if (width == WIDTH && Files.exists(file)) {
          hashes = split(Files.readAllBytes(file));
        } else {
          long first = t * WIDTH;
          hashes =
              l == 0
                  ? leaves.leaves(first, first + width)
                  : new ArrayList<>(level.subList((int) first, (int) (first + width)));
          if (hashes.size() != width) {
            throw new IOException("expected " + width + " hashes at level " + l + " tile " + t);
          }
          writeAtomically(file, join(hashes));
        }
        if (width == WIDTH) {
          above.add(Merkle.rootOf(hashes));
        }
      }
      level = above;
      count = count / WIDTH;
      if (count == 0) {
        break;
      }
    }
    writeAtomically(
        directory.resolve("checkpoint"),
        checkpointNote.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * Writes the tiles of {@code log} as of its latest checkpoint (signing one of the head when there
   * is none) into {@code directory}, with the checkpoint and its cosignatures; returns that
   * checkpoint. Run it again to follow the log: full tiles already written are not read again from
   * the database.
   */
  public static Checkpoint export(AuditLog log, Path directory) throws IOException {
    Checkpoint checkpoint = log.latestCheckpoint().orElseGet(log::checkpoint);
    String note =
        checkpoint.note()
            + log.publication().cosignatures(checkpoint.size()).stream()
                .map(line -> line + "\n")
                .reduce("", String::concat);
    Tiles tiles = new Tiles(directory);
    tiles.write(checkpoint.size(), log.entryStore()::leafHashes, note);
    tiles.writeEntries(checkpoint.size(), log.entryStore()::publicFields);
    return checkpoint;
  }

  /**
   * Writes entry bundles of non-personal fields (uint16 length-prefixed JSON, as tlog-tiles frames
   * entries) beside the level-0 tiles; full bundles already written are kept.
   */
  void writeEntries(long size, EntrySource entries) throws IOException {
    for (long t = 0; t * WIDTH < size; t++) {
      int width = (int) Math.min(WIDTH, size - t * WIDTH);
      Path file = directory.resolve(entriesPath(t, width == WIDTH ? 0 : width));
      if (width == WIDTH && Files.exists(file)) {
        continue;
      }
      java.io.ByteArrayOutputStream bundle = new java.io.ByteArrayOutputStream();
      for (String entry : entries.entries(t * WIDTH, t * WIDTH + width)) {
        byte[] bytes = entry.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        bundle.write(bytes.length >>> 8);
        bundle.write(bytes.length);
        bundle.write(bytes);
      }
      writeAtomically(file, bundle.toByteArray());
    }
  }

  /** Non-personal entry fields by range, from the database. */
  @FunctionalInterface
  interface EntrySource {
    List<String> entries(long from, long to) throws IOException;
  }

  /** Leaf hashes by range, from the database. */
  @FunctionalInterface
  interface LeafSource {
    List<byte[]> leaves(long from, long to) throws IOException;
  }

  /** The hash at {@code index} of level {@code level} in a tree of {@code size} leaves. */
  private byte[] tileHash(int level, long index, long size) throws IOException {
    long tile = index / WIDTH;
    long entriesAtLevel = size;
    for (int i = 0; i < level; i++) {
      entriesAtLevel /= WIDTH;
    }
    long fullTiles = entriesAtLevel / WIDTH;
    int width = tile < fullTiles ? WIDTH : (int) (entriesAtLevel % WIDTH);
    Path file = directory.resolve(path(level, tile, width == WIDTH ? 0 : width));
    byte[] bytes = Files.readAllBytes(file);
    int at = (int) (index % WIDTH) * Merkle.HASH;
    if (bytes.length < at + Merkle.HASH) {
      throw new IOException("tile " + file + " is too short");
    }
    return Arrays.copyOfRange(bytes, at, at + Merkle.HASH);
  }

  /** MTH of leaves [start, end) of a tree of {@code size}, from the tiles (RFC 6962 §2.1). */
  byte[] hash(long start, long end, long size) throws IOException {
    long n = end - start;
    if (n == 0) {
      return Merkle.emptyRoot();
    }
    if (Long.bitCount(n) == 1 && start % n == 0) {
      int k = Long.numberOfTrailingZeros(n);
      int level = k / 8;
      int rest = k % 8;
      long unit = 1L << (8 * level);
      List<byte[]> hashes = new ArrayList<>();
      for (long i = start / unit; i < end / unit; i++) {
        hashes.add(tileHash(level, i, size));
      }
      return Merkle.rootOf(hashes);
    }
    long k = Long.highestOneBit(n - 1);
    return Merkle.nodeHash(hash(start, start + k, size), hash(start + k, end, size));
  }

  /** The root of the tree of {@code size} leaves, from the tiles. */
  public byte[] root(long size) throws IOException {
    return hash(0, size, size);
  }

  /**
   * The RFC 6962 inclusion path of leaf {@code index} in the tree of {@code size}, from the tiles.
   */
  public List<byte[]> inclusionPath(long index, long size) throws IOException {
    List<byte[]> path = new ArrayList<>();
    path(index, 0, size, size, path);
    return path;
  }

  private void path(long m, long start, long end, long size, List<byte[]> out) throws IOException {
    long n = end - start;
    if (n <= 1) {
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m < k) {
      path(m, start, start + k, size, out);
      out.add(hash(start + k, end, size));
    } else {
      path(m - k, start + k, end, size, out);
      out.add(hash(start, start + k, size));
    }
  }

  /** The leaf hash at {@code index} (level 0) in a tree of {@code size}. */
  public byte[] leaf(long index, long size) throws IOException {
    return tileHash(0, index, size);
  }

  private static List<byte[]> split(byte[] bytes) throws IOException {
    if (bytes.length % Merkle.HASH != 0) {
      throw new IOException("a tile is a whole number of 32-byte hashes");
    }
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < bytes.length; i += Merkle.HASH) {
      out.add(Arrays.copyOfRange(bytes, i, i + Merkle.HASH));
    }
    return out;
  }

  private static byte[] join(List<byte[]> hashes) {
    byte[] out = new byte[hashes.size() * Merkle.HASH];
    for (int i = 0; i < hashes.size(); i++) {
      System.arraycopy(hashes.get(i), 0, out, i * Merkle.HASH, Merkle.HASH);
    }
    return out;
  }

  private static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(temporary, bytes);
    Files.move(
        temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
