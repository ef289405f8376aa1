package dev.privacykit.audit;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.ReplicaCatchUp;
import dev.privacykit.storage.StorageException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each shard's schema on the read replica ({@link AuditLogConfig#readReplica}) of a sharded log,
 * opened once the replica has replayed the primary's position after the shards' schemas were made
 * (a replica cannot create them). A shard whose schema the replica cannot open reads the primary.
 */
final class ShardReplicas {
  private static final Logger LOG = LoggerFactory.getLogger(ShardReplicas.class);
  private static final Duration CATCH_UP = Duration.ofSeconds(30);

  private ShardReplicas() {}

  /**
   * The replica of each shard in {@code ids} (shard 0: {@code replica} itself), the views it opened
   * added to {@code views}; empty without a replica.
   */
  static Map<Integer, Database> open(
      Database primary, Database replica, Iterable<Integer> ids, List<Database> views) {
    Map<Integer, Database> out = new HashMap<>();
    if (replica == null) {
      return out;
    }
    try {
      String lsn = ReplicaCatchUp.primaryLsn(primary.dataSource());
      if (!ReplicaCatchUp.waitFor(lsn, replica.dataSource(), CATCH_UP)) {
        LOG.warn("the read replica is more than {} behind; shards may read the primary", CATCH_UP);
      }
    } catch (StorageException e) {
      LOG.warn("the read replica cannot be used ({}); shards read the primary", e.getMessage());
      return out;
    }
    String base = primary.schema() == null ? "privacykit" : primary.schema();
    for (int id : ids) {
      if (id == 0) {
        out.put(0, replica);
        continue;
      }
      try {
        Database view = replica.inSchema(base + "_audit_s" + id, AuditShards.REPLICA_POOL);
        views.add(view);
        out.put(id, view);
      } catch (StorageException e) {
        LOG.warn("shard {} reads the primary: the replica cannot open its schema yet", id);
      }
    }
    return out;
  }
}
