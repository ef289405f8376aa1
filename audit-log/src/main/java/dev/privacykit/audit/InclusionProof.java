package dev.privacykit.audit;

import dev.privacykit.audit.internal.Merkle;
import java.util.HexFormat;
import java.util.List;

/**
 * Proof that the entry at {@code seq} is in the tree of {@code treeSize} entries (RFC 9162 §2.1.3).
 * With a {@link Checkpoint} of that size and the signer's verifier key it can be checked without
 * the database.
 *
 * @param seq the entry's position
 * @param treeSize the tree it is proven against
 * @param leafHash the entry's leaf hash
 * @param path the audit path, bottom up
 */
public record InclusionProof(long seq, long treeSize, byte[] leafHash, List<byte[]> path) {
  /** Copies the path. */
  public InclusionProof {
    path = List.copyOf(path);
  }

  /**
   * Whether the proof leads to the checkpoint's root (the checkpoint's signature is not checked
   * here).
   */
  public boolean verify(Checkpoint checkpoint) {
    return checkpoint.size() == treeSize
        && Merkle.verifyInclusion(leafHash, seq, treeSize, path, checkpoint.root());
  }

  /**
   * Checks the proof offline: the note's signature with {@code verifierKey}, then the path.
   *
   * @throws AuditLogException saying what does not hold
   */
  public void verifyOffline(String checkpointNote, String verifierKey) {
    Checkpoint checkpoint = Checkpoint.verify(checkpointNote, verifierKey);
    if (checkpoint.size() != treeSize) {
      throw new AuditLogException(
          "proof is for tree size " + treeSize + ", the checkpoint is for " + checkpoint.size());
    }
    byte[] calculated = Merkle.rootFromInclusion(leafHash, seq, treeSize, path);
    if (calculated == null || !java.util.Arrays.equals(calculated, checkpoint.root())) {
      throw new AuditLogException(
          "inclusion proof for seq "
              + seq
              + " does not match: calculated "
              + (calculated == null ? "(malformed path)" : HexFormat.of().formatHex(calculated))
              + ", checkpoint "
              + checkpoint.rootHex());
    }
  }
}
