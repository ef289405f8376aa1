package dev.privacykit.audit;

import java.util.Optional;

/**
 * The result of {@link AuditLog#verify()}.
 *
 * @param entries entries checked
 * @param checkpoints checkpoints checked
 * @param failure the first failure found, if any
 */
public record Verification(long entries, long checkpoints, Optional<Failure> failure) {

  /** What breaks the log's integrity. */
  public enum Kind {
    /** An entry is missing: seq is not contiguous, or the log is shorter than its head says. */
    GAP,
    /** An entry's content (or body) no longer matches its leaf hash. */
    LEAF,
    /** A stored subtree does not match the leaves below it. */
    SUBTREE,
    /** The recomputed root does not match the tree head. */
    ROOT,
    /** A checkpoint's signature does not verify. */
    SIGNATURE,
    /** A signed checkpoint does not match the log: something before it was changed or removed. */
    INCONSISTENT,
    /**
     * A witness cosigned a larger tree than the database holds: its tail was cut back, or it was
     * emptied, to a state that is consistent in itself.
     */
    ROLLBACK,
    /** The database's tree does not extend the one a witness cosigned: history was rewritten. */
    FORK
  }

  /**
   * The first failure.
   *
   * @param seq where it is
   * @param kind what kind
   * @param calculated the hash recomputed from the data (hex), or a description
   * @param stored the hash stored or signed (hex), or a description
   * @param lastGoodCheckpoint the size of the last checkpoint that still matches, or -1
   */
  public record Failure(
      long seq, Kind kind, String calculated, String stored, long lastGoodCheckpoint) {
    /**
     * "audit log broken at seq 1042 (LEAF): calculated 3fa1…, stored 9c07…; last good checkpoint
     * 1000".
     */
    public String message() {
      return "audit log broken at seq "
          + seq
          + " ("
          + kind
          + "): calculated "
          + calculated
          + ", stored "
          + stored
          + "; last good checkpoint "
          + (lastGoodCheckpoint < 0 ? "none" : Long.toString(lastGoodCheckpoint));
    }
  }

  /** Whether the log verified. */
  public boolean ok() {
    return failure.isEmpty();
  }
}
