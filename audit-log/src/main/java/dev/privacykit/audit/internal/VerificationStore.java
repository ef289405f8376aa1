package dev.privacykit.audit.internal;

import dev.privacykit.audit.Verification;
import dev.privacykit.audit.VerificationRun;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The SQL of stored verification runs ({@code audit_verifications}). Not API. Thread-safe. */
public final class VerificationStore {
  private final Jdbi jdbi;

  /** The runs recorded for the log that {@code store} holds. */
  public VerificationStore(AuditStore store) {
    this.jdbi = store.jdbi();
  }

  /** The tree a run proved: its size and root. */
  public record Proved(long size, byte[] root) {}

  /**
   * Records a finished run and returns it as stored; {@code proved} is the tree it proved intact
   * (null when it failed), {@code incremental} whether it started from an earlier run's tree.
   */
  public VerificationRun record(Verification verification, Proved proved, boolean incremental) {
    VerificationRun run =
        new VerificationRun(
            Instant.now().truncatedTo(ChronoUnit.MICROS),
            verification.entries(),
            verification.failure().map(Verification.Failure::kind),
            incremental);
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO audit_verifications (verified_at, entries, ok, failure_kind,"
                        + " tree_size, root, incremental) VALUES (:at, :entries, :ok, :kind,"
                        + " :size, :root, :incremental)")
                .bind("at", run.verifiedAt().atOffset(ZoneOffset.UTC))
                .bind("entries", run.entries())
                .bind("ok", run.ok())
                .bind("kind", run.failure().map(Enum::name).orElse(null))
                .bind("size", proved == null ? null : proved.size())
                .bind("root", proved == null ? null : proved.root())
                .bind("incremental", incremental)
                .execute());
    return run;
  }

  /** The tree the newest successful run proved, where an incremental run may start. */
  public Optional<Proved> lastProved() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT tree_size, root FROM audit_verifications WHERE ok = TRUE AND tree_size"
                        + " IS NOT NULL ORDER BY verified_at DESC LIMIT 1")
                .map((rs, ctx) -> new Proved(rs.getLong(1), rs.getBytes(2)))
                .findOne());
  }

  /** The newest run, if the log was ever verified. */
  public Optional<VerificationRun> latest() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT verified_at, entries, failure_kind, incremental FROM audit_verifications"
                        + " ORDER BY verified_at DESC LIMIT 1")
                .map(
                    (rs, ctx) -> {
                      String kind = rs.getString("failure_kind");
                      return new VerificationRun(
                          rs.getObject("verified_at", OffsetDateTime.class).toInstant(),
                          rs.getLong("entries"),
                          Optional.ofNullable(kind).map(Verification.Kind::valueOf),
                          rs.getBoolean("incremental"));
                    })
                .findOne());
  }
}
