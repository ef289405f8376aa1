package dev.privacykit.audit.kafka;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.storage.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Shard logs, entries and waiting, for the tests. */
final class Shards {
  static final CheckpointSigner SIGNER = CheckpointSigner.generate("test.privacykit.dev/shard");

  private Shards() {}

  /** A shard: an audit log over {@code db}. */
  static AuditLog open(Database db) {
    return AuditLog.open(
        db,
        c ->
            c.origin("test.privacykit.dev/shard")
                .signer(SIGNER)
                .checkpointInterval(Duration.ofMillis(100)));
  }

  /** Entry {@code i} of a run: its request id says which, so order can be checked in the log. */
  static AuditEntry entry(String tenant, int i) {
    return entry(tenant, "svc:orders", i);
  }

  static AuditEntry entry(String tenant, String actor, int i) {
    return AuditEntry.builder(tenant, actor, Action.READ)
        .subject("subj_" + (i % 17))
        .purpose("order_fulfilment")
        .requestId("req-" + i)
        .build();
  }

  /** Waits up to 60 s for {@code condition}. */
  static void await(String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plusSeconds(60);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what);
      }
    }
  }
}
