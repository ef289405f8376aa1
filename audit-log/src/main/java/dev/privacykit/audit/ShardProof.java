package dev.privacykit.audit;

import dev.privacykit.audit.internal.Merkle;
import java.time.Instant;
import java.util.Arrays;

/**
 * Proof that an entry is in a sharded log ({@link AuditShards}): the entry's inclusion in its
 * shard's tree, and that tree's checkpoint's inclusion in the top-level log, whose one signed (and,
 * with witnesses, cosigned) checkpoint pins every shard. Checkable with no database: {@link
 * #verifyOffline}.
 *
 * @param shard the shard's id
 * @param shardOrigin the shard's origin ({@link AuditShards#shardOrigin})
 * @param shardRoot the root of the shard's tree of {@code entry.treeSize()} entries
 * @param entry the entry's inclusion in that tree
 * @param topRecordedAt when the top-level log recorded that shard checkpoint
 * @param topSalt the salt of that top-level entry's leaf
 * @param top the top-level entry's inclusion in the top-level tree
 * @param topCheckpoint the top-level log's signed checkpoint (a C2SP signed note) of {@code
 *     top.treeSize()} entries
 */
public record ShardProof(
    int shard,
    String shardOrigin,
    byte[] shardRoot,
    InclusionProof entry,
    Instant topRecordedAt,
    byte[] topSalt,
    InclusionProof top,
    String topCheckpoint) {

  /** Copies the arrays. */
  public ShardProof {
    shardRoot = shardRoot.clone();
    topSalt = topSalt.clone();
  }

  @Override
  public byte[] shardRoot() {
    return shardRoot.clone();
  }

  @Override
  public byte[] topSalt() {
    return topSalt.clone();
  }

  /**
   * Checks the proof offline, against the top-level origin and the verifier key the auditor trusts:
   * the top checkpoint's signature and origin; that the top-level leaf records exactly this shard
   * checkpoint (recomputed from the shard, its origin, size and root); the top-level path to the
   * signed root; and the entry's path to the shard's root. The caller compares {@code
   * entry().leafHash()} with the leaf of the entry it holds.
   *
   * @throws AuditLogException saying which step does not hold
   */
  public void verifyOffline(String topOrigin, String verifierKey) {
    Checkpoint signed = Checkpoint.verify(topCheckpoint, verifierKey);
    if (!signed.origin().equals(topOrigin)) {
      throw new AuditLogException(
          "the top-level checkpoint is of " + signed.origin() + ", not " + topOrigin);
    }
    if (!shardOrigin.equals(AuditShards.shardOrigin(AuditShards.baseOrigin(topOrigin), shard))) {
      throw new AuditLogException(
          "shard " + shard + " of " + topOrigin + " is not named " + shardOrigin);
    }
    if (signed.size() != top.treeSize()) {
      throw new AuditLogException(
          "the top-level proof is for size "
              + top.treeSize()
              + ", the checkpoint for "
              + signed.size());
    }
    byte[] recorded =
        ShardCheckpointEntry.leaf(
            shard, shardOrigin, entry.treeSize(), shardRoot, top.seq(), topRecordedAt, topSalt);
    if (!Arrays.equals(recorded, top.leafHash())) {
      throw new AuditLogException(
          "top-level entry " + top.seq() + " does not record shard " + shard + "'s checkpoint");
    }
    if (!top.verify(signed)) {
      throw new AuditLogException(
          "top-level entry " + top.seq() + " does not lead to the signed top-level root");
    }
    byte[] root =
        Merkle.rootFromInclusion(entry.leafHash(), entry.seq(), entry.treeSize(), entry.path());
    if (root == null || !Arrays.equals(root, shardRoot)) {
      throw new AuditLogException(
          "entry " + entry.seq() + " does not lead to shard " + shard + "'s root");
    }
  }
}
