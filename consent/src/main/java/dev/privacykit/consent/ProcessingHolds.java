package dev.privacykit.consent;

import dev.privacykit.policies.ProcessingHold;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The SQL of processing holds ({@code processing_holds}): restrictions and upheld objections per
 * request and purpose ({@code *} for every purpose), with the time a lifted restriction stops
 * holding. Thread-safe.
 */
final class ProcessingHolds {
  /** The purpose a hold on every purpose is stored under. */
  static final String EVERY_PURPOSE = "*";

  private final Jdbi jdbi;

  ProcessingHolds(Database database) {
    this.jdbi = Jdbis.of(database);
  }

  /** The hold in force on {@code purpose} at {@code at}, restrictions first, or null. */
  ProcessingHold holdFor(String tenant, String subject, String purpose, Instant at) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT kind, since, lifts_at FROM processing_holds WHERE tenant = :t AND subject = :s"
                        + " AND purpose IN (:p, '*') AND since <= :at AND (lifts_at IS NULL OR lifts_at > :at)"
                        + " ORDER BY kind DESC, since")
                .bind("t", tenant)
                .bind("s", subject)
                .bind("p", purpose)
                .bind("at", utc(at))
                .map(
                    (rs, ctx) ->
                        new ProcessingHold(
                            ProcessingHold.Kind.valueOf(rs.getString("kind")),
                            rs.getObject("since", OffsetDateTime.class).toInstant(),
                            instant(rs.getObject("lifts_at", OffsetDateTime.class))))
                .findFirst()
                .orElse(null));
  }

  /** The holds of a subject not yet lifted (or being lifted), oldest first, for views. */
  List<Map<String, Object>> standing(String tenant, String subject, Instant at) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT request_id, purpose, kind, since, lifts_at FROM processing_holds WHERE tenant = :t"
                        + " AND subject = :s AND (lifts_at IS NULL OR lifts_at > :at) ORDER BY since, purpose")
                .bind("t", tenant)
                .bind("s", subject)
                .bind("at", utc(at))
                .mapToMap()
                .list());
  }

  /** Places holds of {@code kind} on each purpose, in the caller's transaction; skips repeats. */
  static int place(
      Handle h,
      String requestId,
      String tenant,
      String subject,
      ProcessingHold.Kind kind,
      List<String> purposes,
      Instant since) {
    int placed = 0;
    for (String purpose : purposes.isEmpty() ? List.of(EVERY_PURPOSE) : purposes) {
      boolean exists =
          h.createQuery(
                      "SELECT COUNT(*) FROM processing_holds WHERE request_id = :r AND purpose = :p")
                  .bind("r", requestId)
                  .bind("p", purpose)
                  .mapTo(Integer.class)
                  .one()
              > 0;
      if (exists) {
        continue;
      }
      placed +=
          h.createUpdate(
                  "INSERT INTO processing_holds (request_id, purpose, tenant, subject, kind, since)"
                      + " VALUES (:r, :p, :t, :s, :k, :at)")
              .bind("r", requestId)
              .bind("p", purpose)
              .bind("t", tenant)
              .bind("s", subject)
              .bind("k", kind.name())
              .bind("at", utc(since))
              .execute();
    }
    return placed;
  }

  /** Sets when the request's holds still in force stop holding; returns how many. */
  static int lift(Handle h, String requestId, Instant liftsAt, String reason) {
    return h.createUpdate(
            "UPDATE processing_holds SET lifts_at = :at, lift_reason = :why WHERE request_id = :r"
                + " AND lifts_at IS NULL")
        .bind("at", utc(liftsAt))
        .bind("why", reason)
        .bind("r", requestId)
        .execute();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
