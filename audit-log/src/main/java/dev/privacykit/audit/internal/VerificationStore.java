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

  /** Records a finished run and returns it as stored. */
  public VerificationRun record(Verification verification) {
    VerificationRun run =
        new VerificationRun(
            Instant.now().truncatedTo(ChronoUnit.MICROS),
            verification.entries(),
            verification.failure().map(Verification.Failure::kind));
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO audit_verifications (verified_at, entries, ok, failure_kind)"
                        + " VALUES (:at, :entries, :ok, :kind)")
                .bind("at", run.verifiedAt().atOffset(ZoneOffset.UTC))
                .bind("entries", run.entries())
                .bind("ok", run.ok())
                .bind("kind", run.failure().map(Enum::name).orElse(null))
                .execute());
    return run;
  }

  /** The newest run, if the log was ever verified. */
  public Optional<VerificationRun> latest() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT verified_at, entries, failure_kind FROM audit_verifications"
                        + " ORDER BY verified_at DESC LIMIT 1")
                .map(
                    (rs, ctx) -> {
                      String kind = rs.getString("failure_kind");
                      return new VerificationRun(
                          rs.getObject("verified_at", OffsetDateTime.class).toInstant(),
                          rs.getLong("entries"),
                          Optional.ofNullable(kind).map(Verification.Kind::valueOf));
                    })
                .findOne());
  }
}
