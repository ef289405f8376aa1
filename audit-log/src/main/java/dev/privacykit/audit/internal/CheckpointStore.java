package dev.privacykit.audit.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The SQL of signed checkpoints ({@code audit_checkpoints}). Not API. Thread-safe. */
public final class CheckpointStore {
  /** A stored checkpoint: its size, root and signed note. */
  public record Stored(long size, byte[] root, String note) {}

  private final Jdbi jdbi;

  /** The checkpoints of the log that {@code store} holds. */
  public CheckpointStore(AuditStore store) {
    this.jdbi = store.jdbi();
  }

  /** The newest checkpoint's note. */
  public Optional<String> latestNote() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT note FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1")
                .mapTo(String.class)
                .findOne());
  }

  /** The note of the checkpoint of exactly {@code size} entries. */
  public Optional<String> noteAt(long size) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT note FROM audit_checkpoints WHERE tree_size = :s")
                .bind("s", size)
                .mapTo(String.class)
                .findOne());
  }

  /** When the checkpoint of exactly {@code size} entries was signed. */
  public Optional<Instant> signedAt(long size) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT created_at FROM audit_checkpoints WHERE tree_size = :s")
                .bind("s", size)
                .mapTo(java.time.OffsetDateTime.class)
                .findOne()
                .map(java.time.OffsetDateTime::toInstant));
  }

  /**
   * Every checkpoint of more than {@code from} and at most {@code head} entries, smallest first.
   */
  public List<Stored> between(long from, long head) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT tree_size, root, note FROM audit_checkpoints WHERE tree_size <= :head"
                        + " AND tree_size > :from ORDER BY tree_size")
                .bind("head", head)
                .bind("from", from)
                .map(
                    (rs, ctx) ->
                        new Stored(
                            rs.getLong("tree_size"), rs.getBytes("root"), rs.getString("note")))
                .list());
  }

  /** Stores a signed checkpoint unless one of that size exists (another process signed it). */
  public void insert(long size, byte[] root, String note) {
    try {
      jdbi.useHandle(
          h ->
              h.createUpdate(
                      "INSERT INTO audit_checkpoints (tree_size, root, note, created_at)"
                          + " SELECT :size, :root, :note, :at WHERE NOT EXISTS"
                          + " (SELECT 1 FROM audit_checkpoints WHERE tree_size = :size)")
                  .bind("size", size)
                  .bind("root", root)
                  .bind("note", note)
                  .bind("at", Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC))
                  .execute());
    } catch (UnableToExecuteStatementException e) {
      // another process signed this size at the same moment
    }
  }
}
