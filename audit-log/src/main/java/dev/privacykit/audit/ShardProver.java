package dev.privacykit.audit;

/**
 * Builds {@link ShardProof}s: an entry's shard proof and its shard checkpoint's top-level proof.
 */
final class ShardProver {
  private final AuditShards log;

  ShardProver(AuditShards log) {
    this.log = log;
  }

  ShardProof prove(int shard, long seq) {
    AuditLog tree = log.shard(shard);
    tree.sync().join();
    Checkpoint checkpoint = tree.checkpoint();
    if (seq < 0 || seq >= checkpoint.size()) {
      throw new IllegalArgumentException("shard " + shard + " holds no entry " + seq);
    }
    long topSeq = log.recorder().record(shard, checkpoint).join();
    Checkpoint signed = log.top().checkpoint();
    return assemble(
        shard, seq, checkpoint.origin(), checkpoint.size(), checkpoint.root(), topSeq, signed);
  }

  ShardProof prove(int shard, long seq, long topSize) {
    log.shard(shard);
    AuditLog top = log.top();
    Checkpoint signed =
        top.checkpointAt(topSize)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "there is no top-level checkpoint of " + topSize + " entries"));
    long topSeq =
        top.entryStore()
            .latestSeq(ShardCheckpointEntry.TENANT, ShardCheckpointEntry.actor(shard), topSize);
    if (topSeq < 0) {
      throw new IllegalArgumentException(
          "the top-level checkpoint of " + topSize + " records no checkpoint of shard " + shard);
    }
    ShardCheckpointEntry.Recorded recorded =
        ShardCheckpointEntry.parse(top.read(topSeq).orElseThrow());
    if (seq < 0 || seq >= recorded.size()) {
      throw new IllegalArgumentException(
          "entry "
              + seq
              + " of shard "
              + shard
              + " is not in the shard's tree that the top-level checkpoint of "
              + topSize
              + " records ("
              + recorded.size()
              + " entries)");
    }
    return assemble(
        shard, seq, recorded.origin(), recorded.size(), recorded.root(), topSeq, signed);
  }

  private ShardProof assemble(
      int shard,
      long seq,
      String origin,
      long size,
      byte[] root,
      long topSeq,
      Checkpoint topCheckpoint) {
    InclusionProof entry = log.shard(shard).inclusionProof(seq, size);
    AuditRecord topEntry = log.top().read(topSeq).orElseThrow();
    InclusionProof top = log.top().inclusionProof(topSeq, topCheckpoint.size());
    return new ShardProof(
        shard,
        origin,
        root,
        entry,
        topEntry.recordedAt(),
        topEntry.leafSalt(),
        top,
        topCheckpoint.note());
  }
}
