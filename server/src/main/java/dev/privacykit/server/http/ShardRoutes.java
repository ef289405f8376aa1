package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static dev.privacykit.server.http.ConsentRoutes.tenant;
import static dev.privacykit.server.http.Json.object;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditShards;
import dev.privacykit.audit.Checkpoint;
import dev.privacykit.audit.InclusionProof;
import dev.privacykit.audit.ShardProof;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.Services;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/audit/shards}: how the audit log is sharded, each shard's newest signed checkpoint and
 * the top-level checkpoint that pins them all; and the top-level half of an entry's proof when the
 * log is sharded.
 */
final class ShardRoutes {
  private ShardRoutes() {}

  static void mount(JavalinConfig config, Services services) {
    config.routes.get(
        "/v1/audit/shards", ctx -> shards(ctx, services), requires(Scopes.AUDIT_READ));
  }

  /**
   * The shards and their checkpoints. Counts and roots span tenants, as the one log's checkpoint
   * does; no entry, actor or subject is in it.
   */
  private static void shards(Context ctx, Services services) {
    var sharded = services.audits.shards();
    if (sharded.isEmpty()) {
      AuditLog log = services.audit;
      Json.write(
          ctx,
          200,
          object("count", 1, "tenant_shard", 0, "top", null, "shards", List.of(shard(0, log))));
      return;
    }
    AuditShards shards = sharded.get();
    List<Object> each = new ArrayList<>();
    for (int id : shards.ids()) {
      each.add(shard(id, shards.shard(id)));
    }
    AuditLog top = shards.top();
    Checkpoint latest = top.latestCheckpoint().orElseGet(top::checkpoint);
    Json.write(
        ctx,
        200,
        object(
            "count", shards.ids().size(),
            "tenant_shard", services.audits.shardOf(tenant(ctx)),
            "top", Views.checkpoint(latest, top),
            "shards", each));
  }

  private static Map<String, Object> shard(int id, AuditLog log) {
    Checkpoint latest = log.latestCheckpoint().orElseGet(log::checkpoint);
    return object("id", id, "checkpoint", Views.checkpoint(latest, log));
  }

  /**
   * Entry {@code seq} of shard {@code shard}'s proof: its inclusion in the shard's tree, against
   * that tree's signed checkpoint (as with one tree), plus {@code top}: that checkpoint's entry in
   * the top-level log and its inclusion in the top-level checkpoint, which the witnesses cosign.
   * Proved against the newest stored top-level checkpoint when it covers the entry, else against a
   * fresh one (which records the shard's current tree first).
   */
  static Map<String, Object> proof(AuditShards shards, int shard, long seq) {
    ShardProof proof = null;
    var stored = shards.top().latestCheckpoint();
    if (stored.isPresent()) {
      try {
        proof = shards.prove(shard, seq, stored.get().size());
      } catch (IllegalArgumentException notCovered) {
        proof = null; // the entry came after the shard's last recorded checkpoint
      }
    }
    if (proof == null) {
      proof = shards.prove(shard, seq);
    }
    AuditLog tree = shards.shard(shard);
    InclusionProof entry = proof.entry();
    Checkpoint shardCheckpoint = tree.checkpointAt(entry.treeSize()).orElseThrow();
    Map<String, Object> body =
        new java.util.LinkedHashMap<>(AuditRoutes.inclusion(entry, shardCheckpoint, tree));
    HexFormat hex = HexFormat.of();
    InclusionProof top = proof.top();
    body.put("shard", proof.shard());
    body.put(
        "top",
        object(
            "origin", shards.topOrigin(),
            "seq", top.seq(),
            "tree_size", top.treeSize(),
            "leaf_hash", hex.formatHex(top.leafHash()),
            "path", Json.list(top.path(), hex::formatHex),
            "recorded_at", proof.topRecordedAt(),
            "salt", hex.formatHex(proof.topSalt()),
            "shard_origin", proof.shardOrigin(),
            "shard_root", hex.formatHex(proof.shardRoot()),
            "checkpoint", proof.topCheckpoint()));
    return body;
  }
}
