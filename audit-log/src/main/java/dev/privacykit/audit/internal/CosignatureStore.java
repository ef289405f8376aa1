package dev.privacykit.audit.internal;

import dev.privacykit.audit.PublishedCheckpoint;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The SQL of witnesses' cosignatures ({@code audit_cosignatures}). Not API. Thread-safe. */
public final class CosignatureStore {
  private final Jdbi jdbi;

  /** The cosignatures of the log that {@code store} holds. */
  public CosignatureStore(AuditStore store) {
    this.jdbi = store.jdbi();
  }

  /** Stores a verified cosignature line (kept if the witness already cosigned that size). */
  public void insert(long size, String witness, String line, Instant cosignedAt) {
    try {
      jdbi.useHandle(
          h ->
              h.createUpdate(
                      "INSERT INTO audit_cosignatures (tree_size, witness, line, cosigned_at)"
                          + " SELECT :s, :w, :l, :at WHERE NOT EXISTS (SELECT 1 FROM"
                          + " audit_cosignatures WHERE tree_size = :s AND witness = :w)")
                  .bind("s", size)
                  .bind("w", witness)
                  .bind("l", line)
                  .bind("at", cosignedAt.atOffset(ZoneOffset.UTC))
                  .execute());
    } catch (UnableToExecuteStatementException e) {
      // another process stored the same cosignature at the same moment
    }
  }

  /** The cosignature lines of the checkpoint of {@code size}, by witness name. */
  public List<String> lines(long size) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT line FROM audit_cosignatures WHERE tree_size = :s ORDER BY witness")
                .bind("s", size)
                .mapTo(String.class)
                .list());
  }

  /** The largest size cosigned by at least {@code quorum} witnesses. */
  public Optional<PublishedCheckpoint> published(int quorum) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT tree_size, MAX(cosigned_at) AS at FROM audit_cosignatures GROUP BY"
                        + " tree_size HAVING COUNT(*) >= :q ORDER BY tree_size DESC LIMIT 1")
                .bind("q", quorum)
                .map(
                    (rs, ctx) ->
                        new PublishedCheckpoint(
                            rs.getLong("tree_size"),
                            rs.getObject("at", OffsetDateTime.class).toInstant()))
                .findOne());
  }
}
