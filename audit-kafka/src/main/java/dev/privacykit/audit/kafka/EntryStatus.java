package dev.privacykit.audit.kafka;

import java.util.OptionalLong;

/**
 * Where a sequenced entry stands in its shard's log.
 *
 * @param state sequenced (in Kafka only), integrated (in the tree) or skipped
 * @param seq the entry's seq in the shard's log when integrated
 */
public record EntryStatus(State state, OptionalLong seq) {
  /** The states an entry passes through. */
  public enum State {
    /** In Kafka, not yet in the tree: its offset is at or past the shard's stored offset. */
    SEQUENCED,
    /** In the shard's tree, at {@link EntryStatus#seq()}. */
    INTEGRATED,
    /** Passed over by the sequencer: the record at that offset was not a readable entry. */
    SKIPPED
  }

  /** Checks that a seq is given exactly when integrated. */
  public EntryStatus {
    if ((state == State.INTEGRATED) != seq.isPresent()) {
      throw new IllegalArgumentException("an entry has a seq exactly when it is integrated");
    }
  }
}
