package dev.privacykit.audit.internal;

import java.util.List;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The SQL of sequenced appends: the source offset stored on the tree head and the map from
 * integrated offsets to seqs. Not API. Thread-safe.
 */
public final class SequencerStore {
  /** Where one source offset stands: the head's next offset, and the offset's seq if it has one. */
  public record Position(long nextOffset, OptionalLong seq) {}

  private final Jdbi jdbi;

  /** The sequencer tables of the log that {@code store} holds. */
  public SequencerStore(AuditStore store) {
    this.jdbi = store.jdbi();
  }

  /**
   * The next offset to integrate (0 when none was), in the caller's transaction, which must hold
   * the head's lock ({@link AuditStore#lockState}).
   */
  public long nextOffset(Handle h) {
    return h.createQuery("SELECT COALESCE(sequenced_offset, 0) FROM audit_state WHERE id = 1")
        .mapTo(Long.class)
        .one();
  }

  /**
   * Moves the head's next offset to {@code next} and records which seq each offset became, in the
   * caller's transaction.
   */
  public void advance(Handle h, long next, List<Long> offsets, List<Long> seqs) {
    h.createUpdate("UPDATE audit_state SET sequenced_offset = :next WHERE id = 1")
        .bind("next", next)
        .execute();
    if (offsets.isEmpty()) {
      return;
    }
    PreparedBatch batch =
        h.prepareBatch("INSERT INTO audit_sequenced (source_offset, seq) VALUES (:o, :s)");
    for (int i = 0; i < offsets.size(); i++) {
      batch.bind("o", offsets.get(i)).bind("s", seqs.get(i)).add();
    }
    batch.execute();
  }

  /** The head's next offset and the seq of {@code offset}, read together. */
  public Position position(long offset) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT COALESCE(s.sequenced_offset, 0), q.seq FROM audit_state s"
                        + " LEFT JOIN audit_sequenced q ON q.source_offset = :o WHERE s.id = 1")
                .bind("o", offset)
                .map(
                    (rs, ctx) -> {
                      Long seq = rs.getObject(2, Long.class);
                      return new Position(
                          rs.getLong(1), seq == null ? OptionalLong.empty() : OptionalLong.of(seq));
                    })
                .one());
  }
}
