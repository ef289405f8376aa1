package dev.privacykit.audit;

import dev.privacykit.audit.internal.AuditStore;
import dev.privacykit.audit.internal.EntryStore;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.ReplicaCatchUp;
import dev.privacykit.storage.StorageException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the log's listings and reports read ({@link AuditLogConfig#readReplica}): the streaming
 * replica once it has replayed the primary's WAL position taken at the read, so the read sees every
 * entry committed before it; the primary when there is no replica, when it has not caught up within
 * the wait, or when it cannot answer (then it is skipped for five seconds, so a stopped replica
 * does not slow every read). Verification, proofs and reads by seq stay on the primary.
 */
final class ReplicaReads {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaReads.class);

  private final Database primary;
  private final EntryStore onPrimary;
  private final Database replica;
  private final EntryStore onReplica;
  private final AuditLogConfig config;
  private final LongAdder fromReplica = new LongAdder();
  private final LongAdder fromPrimary = new LongAdder();
  private volatile boolean warned;

  /** After the replica failed to answer, reads skip it until then (System.nanoTime). */
  private volatile long skipUntil;

  /** How long reads skip a replica that failed to answer. */
  private static final long SKIP_NANOS = 5_000_000_000L;

  ReplicaReads(Database primary, EntryStore onPrimary, AuditLogConfig config) {
    this.primary = primary;
    this.onPrimary = onPrimary;
    this.replica = config.readReplica;
    this.onReplica = replica == null ? null : new EntryStore(new AuditStore(replica));
    this.config = config;
  }

  /** The store a listing or report reads now. */
  EntryStore store() {
    if (replica == null) {
      return onPrimary;
    }
    if (skipUntil - System.nanoTime() > 0) {
      fromPrimary.increment();
      return onPrimary;
    }
    try {
      String lsn = ReplicaCatchUp.primaryLsn(primary.dataSource());
      if (ReplicaCatchUp.waitFor(lsn, replica.dataSource(), config.replicaWait)) {
        fromReplica.increment();
        return onReplica;
      }
    } catch (StorageException e) {
      skipUntil = System.nanoTime() + SKIP_NANOS; // a stopped replica must not slow every read
      if (!warned) {
        warned = true; // once: a misconfigured or stopped replica is an operator's matter
        LOG.warn(
            "audit reads go to the primary: the replica cannot serve them ({})", e.getMessage());
      }
    }
    fromPrimary.increment();
    return onPrimary;
  }

  /** Reads served by the replica, and by the primary while a replica was configured. */
  long[] counts() {
    return new long[] {fromReplica.sum(), fromPrimary.sum()};
  }
}
