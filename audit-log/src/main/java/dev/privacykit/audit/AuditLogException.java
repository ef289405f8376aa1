package dev.privacykit.audit;

/** The root of every unchecked failure of the audit log. Messages name seqs, never people. */
public class AuditLogException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public AuditLogException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public AuditLogException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The append queue has no room for the entries: the caller should slow down and retry (HTTP 503).
   * A group is refused whole.
   */
  public static final class Overloaded extends AuditLogException {
    private static final long serialVersionUID = 1L;

    Overloaded(int capacity) {
      super(
          "audit log overloaded: " + capacity + " entries are waiting to be written; retry later");
    }

    Overloaded(String tenant, int share) {
      super(
          "audit log overloaded for tenant "
              + tenant
              + ": its share of "
              + share
              + " waiting entries is taken; retry later");
    }
  }

  /**
   * The log cannot write now (its database failed the last write and has not answered since): the
   * caller should retry shortly (HTTP 503).
   */
  public static final class Unavailable extends AuditLogException {
    private static final long serialVersionUID = 1L;

    Unavailable() {
      super("audit log unavailable: its database failed the last write; retry later");
    }
  }

  /** The log is closed and takes no more entries. */
  public static final class Closed extends AuditLogException {
    private static final long serialVersionUID = 1L;

    Closed() {
      super("audit log is closed");
    }
  }

  /**
   * An idempotency key that was already used for a different entry (HTTP 409). Nothing of the group
   * it came in was appended.
   */
  public static final class IdempotencyConflict extends AuditLogException {
    private static final long serialVersionUID = 1L;
    private final int index;

    IdempotencyConflict(int index) {
      super("idempotency key of entry " + index + " was already used for a different entry");
      this.index = index;
    }

    /** The position of the entry in the group that was appended. */
    public int index() {
      return index;
    }
  }

  /**
   * The log is a closed shard ({@link AuditLogConfig#writableUntil}): it takes no more entries and
   * stays readable and provable. Nothing of the group was appended.
   */
  public static final class ShardClosed extends AuditLogException {
    private static final long serialVersionUID = 1L;

    ShardClosed(String origin, java.time.Instant until) {
      super("audit log " + origin + " is a closed shard: it takes no entries since " + until);
    }
  }

  /**
   * A sequenced batch was refused because the log's head does not hold the source offset its
   * sequencer expected: another sequencer moved it on (or this one already wrote the batch before
   * it crashed). Nothing of the batch was written; the sequencer should read the stored offset
   * again ({@link SequencedAppends#nextOffset()}) and resume there, or stop.
   */
  public static final class SequencerFenced extends AuditLogException {
    private static final long serialVersionUID = 1L;
    private final long expectedOffset;
    private final long storedOffset;

    SequencerFenced(long expectedOffset, long storedOffset) {
      super(
          "sequenced batch refused: expected source offset "
              + expectedOffset
              + ", but the log's head holds "
              + storedOffset
              + "; another sequencer has moved it, so nothing was written");
      this.expectedOffset = expectedOffset;
      this.storedOffset = storedOffset;
    }

    /** The offset the refused batch started from. */
    public long expectedOffset() {
      return expectedOffset;
    }

    /** The next offset the log's head holds: where a sequencer should resume. */
    public long storedOffset() {
      return storedOffset;
    }
  }
}
