package dev.privacykit.audit.internal;

import dev.privacykit.storage.Dialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes partitions of the entry tables ahead of the appends, on PostgreSQL (H2 keeps plain tables:
 * nothing to do). It calls {@code audit_ensure_partitions}, which runs as the schema owner, in a
 * transaction of its own, before the append's: an append never waits for a partition, and the
 * application role needs no CREATE privilege. Not API. Thread-safe.
 */
public final class Partitions {
  private static final Logger log = LoggerFactory.getLogger(Partitions.class);
  private static final long RETRY_NANOS = 1_000_000_000L;

  private final AuditStore store;

  /** Seqs below this have a partition, with a whole one beyond them; -1 until asked. */
  private volatile long roomBelow = -1;

  private volatile long retryAt = System.nanoTime();

  /** For the log in {@code store}. */
  public Partitions(AuditStore store) {
    this.store = store;
  }

  /**
   * Makes sure that entries up to {@code upto} (exclusive) have partitions, asking the database
   * only when they reach the last partition made. A failure is logged, not thrown: the partitions
   * made before leave room, and an append that truly lacks one fails on its own.
   */
  public void ensureRoom(long upto) {
    if (store.dialect() != Dialect.POSTGRESQL || upto <= roomBelow) {
      return;
    }
    if (roomBelow < 0 && System.nanoTime() - retryAt < 0) {
      return; // the last attempt failed a moment ago
    }
    try {
      roomBelow =
          store
              .jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT audit_ensure_partitions(:upto)")
                          .bind("upto", upto)
                          .mapTo(Long.class)
                          .one());
    } catch (RuntimeException e) {
      roomBelow = -1;
      retryAt = System.nanoTime() + RETRY_NANOS;
      log.warn(
          "audit writer: could not make partitions ahead of the head (SQLSTATE {})", sqlState(e));
    }
  }

  /**
   * Throws {@link NoRoom} when entries up to {@code upto} (exclusive) reach past the partitions
   * this process knows of: called in the append's transaction with the locked head, which another
   * process may have moved on. Unknown (nothing asked yet, or asking failed): the insert decides.
   */
  public void checkRoom(long upto) {
    long room = roomBelow;
    if (room >= 0 && upto > room) {
      roomBelow = -1; // stale: ask the database again
      retryAt = System.nanoTime();
      throw new NoRoom();
    }
  }

  /** An append that must wait for partitions: roll back, make them, and write again. */
  public static final class NoRoom extends RuntimeException {
    NoRoom() {
      super("the append reaches past the partitions made so far", null, false, false);
    }
  }

  /** The SQLSTATE behind a failure, or its class name: never the statement or its values. */
  private static String sqlState(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
    }
    return e.getClass().getSimpleName();
  }
}
