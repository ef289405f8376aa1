package dev.privacykit.audit;

import dev.privacykit.audit.internal.Merkle;
import java.util.List;

/**
 * Proof that the tree of {@code fromSize} entries is a prefix of the tree of {@code toSize} (RFC
 * 9162 §2.1.4): nothing recorded before was changed or removed.
 *
 * @param fromSize the older tree
 * @param toSize the newer tree
 * @param path the proof hashes
 */
public record ConsistencyProof(long fromSize, long toSize, List<byte[]> path) {
  /** Copies the path. */
  public ConsistencyProof {
    path = List.copyOf(path);
  }

  /** Whether the proof shows {@code older} to be a prefix of {@code newer}. */
  public boolean verify(Checkpoint older, Checkpoint newer) {
    return older.size() == fromSize
        && newer.size() == toSize
        && Merkle.verifyConsistency(fromSize, toSize, older.root(), newer.root(), path);
  }
}
