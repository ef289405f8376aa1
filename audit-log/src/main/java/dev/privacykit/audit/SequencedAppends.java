package dev.privacykit.audit;

import dev.privacykit.audit.internal.AuditStore;
import dev.privacykit.audit.internal.Frontier;
import dev.privacykit.audit.internal.Partitions;
import dev.privacykit.audit.internal.SequencerStore;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.jdbi.v3.core.JdbiException;

/**
 * Appends whose order an external sequencer decided: entries read from one ordered source (one
 * partition of a Kafka topic, say) are integrated into the tree in batches, each fenced by the
 * source offset stored on the tree head.
 *
 * <pre>{@code
 * SequencedAppends sequenced = SequencedAppends.of(log);
 * long from = sequenced.nextOffset();
 * // read records from offset `from` on, up to (not including) offset `next`
 * List<Long> seqs = sequenced.integrate(entries, offsets, from, next);
 * }</pre>
 *
 * <h2>Security</h2>
 *
 * A batch is written only if the head still holds the offset its sequencer expected, and it moves
 * the head to the batch's next offset in the same transaction, which holds the head's row lock like
 * every append: of two sequencers that read the same offset, one writes and the other is refused
 * with {@link AuditLogException.SequencerFenced}, writing nothing; a sequencer that crashed after
 * its commit finds the offset moved on and resumes after it. So every offset is integrated at most
 * once, in source order, and, as the head moves only forward through the offsets it was given, none
 * is passed over unless a sequencer chose to skip it. Each integrated offset is also stored with
 * its seq under a primary key, so even a stored offset set back by hand cannot integrate an offset
 * twice. A log takes one source: give each source (each shard) its own log.
 *
 * <p>Thread-safe. {@link AuditLog#append} may go on beside it: both take turns on the head's lock.
 */
public final class SequencedAppends {
  /**
   * Where a source offset stands in the log.
   *
   * @param offset the offset asked about
   * @param nextOffset the next offset the log will integrate (0 before the first batch)
   * @param seq the entry the offset became, if it was integrated
   */
  public record Position(long offset, long nextOffset, OptionalLong seq) {
    /** Whether the offset's entry is in the tree ({@link #seq()} says where). */
    public boolean isIntegrated() {
      return seq.isPresent();
    }

    /** Whether a sequencer passed over the offset (its record could not be read as an entry). */
    public boolean isSkipped() {
      return seq.isEmpty() && offset < nextOffset;
    }

    /** Whether the log has not reached the offset yet. */
    public boolean isPending() {
      return offset >= nextOffset;
    }
  }

  private final AuditStore store;
  private final TreeWrites writes;
  private final SequencerStore sequencer;
  private final Partitions partitions;

  /** The frontier after this object's last batch; guarded by {@code this}. */
  private Frontier frontier;

  private SequencedAppends(AuditStore store, AuditLogConfig config) {
    this.store = store;
    this.writes = new TreeWrites(store, config);
    this.sequencer = new SequencerStore(store);
    this.partitions = new Partitions(store);
  }

  /** Sequenced appends into {@code log}. */
  public static SequencedAppends of(AuditLog log) {
    return new SequencedAppends(log.store, log.config);
  }

  /** The next source offset the log will integrate: 0 before the first batch. */
  public long nextOffset() {
    return store.jdbi().withHandle(sequencer::nextOffset);
  }

  /** Where {@code offset} stands: integrated (with its seq), skipped, or pending. */
  public Position position(long offset) {
    SequencerStore.Position p = sequencer.position(offset);
    return new Position(offset, p.nextOffset(), p.seq());
  }

  /**
   * Writes {@code entries}, read from the source at {@code offsets}, in one transaction that first
   * checks that the log's head holds {@code expectedOffset} and then moves it to {@code
   * nextOffset}. Offsets in [expectedOffset, nextOffset) that are not among {@code offsets} are
   * skipped. Returns the entries' seqs, in order.
   *
   * @throws AuditLogException.SequencerFenced if the head holds another offset; nothing was written
   * @throws IllegalArgumentException if the offsets are not increasing within [expectedOffset,
   *     nextOffset), or there is not one per entry
   * @throws AuditLogException if the batch could not be written; nothing was
   */
  public synchronized List<Long> integrate(
      List<AuditEntry> entries, List<Long> offsets, long expectedOffset, long nextOffset) {
    checkOffsets(entries, offsets, expectedOffset, nextOffset);
    List<String> noKeys = new ArrayList<>(entries.size());
    entries.forEach(e -> noKeys.add(null));
    BatchWriter.Pending group = new BatchWriter.Pending(List.copyOf(entries), noKeys, null);
    for (int attempt = 0; ; attempt++) {
      // outside the transaction: PostgreSQL's entry partitions, made ahead (as BatchWriter does)
      partitions.ensureRoom(
          (frontier != null ? frontier.size() : store.state().size()) + entries.size());
      try {
        return integrateOnce(group, offsets, expectedOffset, nextOffset);
      } catch (Partitions.NoRoom e) {
        frontier = null; // the head moved past the partitions known here: make them, try again
        if (attempt >= 3) {
          throw new AuditLogException("sequenced entries found no partition to go in");
        }
      }
    }
  }

  private List<Long> integrateOnce(
      BatchWriter.Pending group, List<Long> offsets, long expectedOffset, long nextOffset) {
    try {
      return store
          .jdbi()
          .inTransaction(
              h -> {
                AuditStore.State head = store.lockState(h);
                partitions.checkRoom(head.size() + group.entries().size());
                long stored = sequencer.nextOffset(h);
                if (stored != expectedOffset) {
                  throw new AuditLogException.SequencerFenced(expectedOffset, stored);
                }
                Frontier tree = writes.frontierAt(h, head, frontier);
                List<Long> seqs = writes.write(h, tree, List.of(group)).get(0).seqs();
                sequencer.advance(h, nextOffset, offsets, seqs);
                frontier = tree;
                return seqs;
              });
    } catch (AuditLogException e) {
      frontier = null;
      throw e;
    } catch (JdbiException e) {
      frontier = null;
      throw new AuditLogException(
          "sequenced entries could not be written: " + e.getClass().getSimpleName(), e);
    }
  }

  private static void checkOffsets(
      List<AuditEntry> entries, List<Long> offsets, long expectedOffset, long nextOffset) {
    if (offsets.size() != entries.size()) {
      throw new IllegalArgumentException("give one source offset per entry");
    }
    if (expectedOffset < 0 || nextOffset <= expectedOffset) {
      throw new IllegalArgumentException(
          "offsets must satisfy 0 <= expectedOffset < nextOffset, were "
              + expectedOffset
              + " and "
              + nextOffset);
    }
    long previous = expectedOffset - 1;
    for (long offset : offsets) {
      if (offset <= previous || offset >= nextOffset) {
        throw new IllegalArgumentException(
            "source offsets must increase within [" + expectedOffset + ", " + nextOffset + ")");
      }
      previous = offset;
    }
  }
}
