package dev.privacykit.audit;

import dev.privacykit.audit.internal.EntryCodec;
import java.time.Instant;
import java.util.HexFormat;

/**
 * How a shard's checkpoint is written in the top-level log of a sharded log: an ordinary entry of
 * the {@code _system} tenant, action {@link Action#SHARD_CHECKPOINT}, whose actor names the shard
 * ({@code privacykit:shard:<id>}), whose recipient is the shard's origin and whose request id is
 * {@code <size>:<root in hex>}. Its leaf can so be recomputed from the shard checkpoint alone plus
 * the entry's seq, time and salt, which is what makes a shard proof checkable offline.
 */
final class ShardCheckpointEntry {
  static final String TENANT = "_system";
  private static final String ACTOR_PREFIX = "privacykit:shard:";
  private static final HexFormat HEX = HexFormat.of();

  /** A shard checkpoint as the top-level log records it. */
  record Recorded(int shard, String origin, long size, byte[] root) {}

  private ShardCheckpointEntry() {}

  /** The actor of shard {@code id}'s entries in the top-level log. */
  static String actor(int shard) {
    return ACTOR_PREFIX + shard;
  }

  /** The top-level entry recording shard {@code shard}'s tree of {@code size} with {@code root}. */
  static AuditEntry entry(int shard, String origin, long size, byte[] root) {
    return AuditEntry.builder(TENANT, actor(shard), Action.SHARD_CHECKPOINT)
        .recipient(origin)
        .requestId(size + ":" + HEX.formatHex(root))
        .build();
  }

  /** The idempotency key of that entry: processes recording the same checkpoint record it once. */
  static String key(int shard, long size) {
    return "shard-" + shard + "-" + size;
  }

  /**
   * The leaf hash of the top-level entry at {@code seq}, written at {@code recordedAt} with {@code
   * salt}, recording that shard checkpoint.
   */
  static byte[] leaf(
      int shard, String origin, long size, byte[] root, long seq, Instant recordedAt, byte[] salt) {
    return EntryCodec.leaf(
        EntryCodec.Fields.of(
            seq, recordedAt, entry(shard, origin, size, root).storedFields(), null, salt));
  }

  /**
   * Reads a top-level record back, or null when it is not a shard checkpoint.
   *
   * @throws AuditLogException when it claims to be one but is malformed
   */
  static Recorded parse(AuditRecord record) {
    AuditEntry e = record.entry();
    if (e.action() != Action.SHARD_CHECKPOINT) {
      return null;
    }
    try {
      int shard = Integer.parseInt(e.actor().substring(ACTOR_PREFIX.length()));
      String[] sizeRoot = e.requestId().split(":", 2);
      return new Recorded(
          shard, e.recipient(), Long.parseLong(sizeRoot[0]), HEX.parseHex(sizeRoot[1]));
    } catch (RuntimeException malformed) {
      throw new AuditLogException(
          "top-level entry " + record.seq() + " is not a well-formed shard checkpoint");
    }
  }
}
