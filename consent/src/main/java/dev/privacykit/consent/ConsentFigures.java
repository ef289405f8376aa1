package dev.privacykit.consent;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Counts for dashboards: consent decisions per purpose and day, withdrawals, consent states per
 * purpose, failing webhook deliveries. Only counts leave this class, never a subject. Days are UTC.
 * Thread-safe.
 */
public final class ConsentFigures {
  /** What was decided for one purpose on one day (UTC). */
  public record Day(LocalDate day, long given, long refused, long withdrawn, long expired) {}

  /** One purpose's days, oldest first, one per day of the range (zero when nothing happened). */
  public record PurposeSeries(String purpose, List<Day> days) {}

  /** How many (subject, purpose) pairs stand in a state now; EXPIRED is derived from the expiry. */
  public record StateCount(String purpose, String state, long count) {}

  private final Jdbi jdbi;

  /** Figures over the consent tables of {@code database}. */
  public ConsentFigures(Database database) {
    this.jdbi = Jdbis.of(database);
  }

  /**
   * Consent decisions of {@code tenant} per purpose and day from {@code from} to {@code to}
   * (inclusive, UTC), by the day the consent was collected: given (and renewed), refused,
   * withdrawn, and expired (consents whose validity ended that day and were not renewed). Every
   * purpose in {@code purposes} gets a series, as does any other purpose with a decision in range.
   */
  public List<PurposeSeries> series(
      String tenant, LocalDate from, LocalDate to, Collection<String> purposes) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("to is before from");
    }
    Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Map<String, Map<LocalDate, long[]>> counts = new TreeMap<>();
    for (String purpose : purposes) {
      counts.put(purpose, new TreeMap<>());
    }
    jdbi.useHandle(
        h -> {
          h.createQuery(
                  "SELECT purpose, state, collected_at FROM consent_events WHERE tenant = :t"
                      + " AND collected_at >= :from AND collected_at < :to")
              .bind("t", tenant)
              .bind("from", start.atOffset(ZoneOffset.UTC))
              .bind("to", end.atOffset(ZoneOffset.UTC))
              .map(
                  (rs, ctx) -> {
                    int column =
                        switch (rs.getString("state")) {
                          case "GIVEN", "RENEWED" -> 0;
                          case "REFUSED" -> 1;
                          case "WITHDRAWN" -> 2;
                          default -> -1;
                        };
                    if (column >= 0) {
                      LocalDate day =
                          rs.getObject("collected_at", java.time.OffsetDateTime.class)
                              .atZoneSameInstant(ZoneOffset.UTC)
                              .toLocalDate();
                      bump(counts, rs.getString("purpose"), day, column);
                    }
                    return 0;
                  })
              .forEach(ignored -> {});
          h.createQuery(
                  "SELECT purpose, expires_at FROM consent_state WHERE tenant = :t"
                      + " AND state IN ('GIVEN', 'RENEWED') AND expires_at >= :from"
                      + " AND expires_at < :to AND expires_at <= :now")
              .bind("t", tenant)
              .bind("from", start.atOffset(ZoneOffset.UTC))
              .bind("to", end.atOffset(ZoneOffset.UTC))
              .bind("now", Instant.now().atOffset(ZoneOffset.UTC))
              .map(
                  (rs, ctx) -> {
                    LocalDate day =
                        rs.getObject("expires_at", java.time.OffsetDateTime.class)
                            .atZoneSameInstant(ZoneOffset.UTC)
                            .toLocalDate();
                    bump(counts, rs.getString("purpose"), day, 3);
                    return 0;
                  })
              .forEach(ignored -> {});
        });
    List<PurposeSeries> out = new ArrayList<>();
    counts.forEach(
        (purpose, byDay) -> {
          List<Day> days = new ArrayList<>();
          for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            long[] c = byDay.getOrDefault(d, new long[4]);
            days.add(new Day(d, c[0], c[1], c[2], c[3]));
          }
          out.add(new PurposeSeries(purpose, days));
        });
    return out;
  }

  private static void bump(
      Map<String, Map<LocalDate, long[]>> counts, String purpose, LocalDate day, int column) {
    counts.computeIfAbsent(purpose, p -> new TreeMap<>())
        .computeIfAbsent(day, d -> new long[4])[column]++;
  }

  /** Withdrawals of {@code tenant} made at or after {@code since}. */
  public long withdrawalsSince(String tenant, Instant since) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT COUNT(*) FROM consent_events WHERE tenant = :t AND state = 'WITHDRAWN'"
                        + " AND collected_at >= :since")
                .bind("t", tenant)
                .bind("since", since.atOffset(ZoneOffset.UTC))
                .mapTo(Long.class)
                .one());
  }

  /**
   * Webhook deliveries of {@code tenant} (every tenant when null) whose last attempt failed: given
   * up, or waiting for a retry.
   */
  public long failingDeliveries(String tenant) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT COUNT(*) FROM webhook_deliveries d JOIN webhook_outbox o ON o.id ="
                        + " d.outbox_id WHERE (d.status = 'FAILED' OR (d.status = 'PENDING' AND"
                        + " d.attempts > 0))"
                        + (tenant == null ? "" : " AND o.tenant = :t"))
                .bindMap(tenant == null ? Map.of() : Map.of("t", tenant))
                .mapTo(Long.class)
                .one());
  }

  /** Consent states per purpose across every tenant: bounded labels for metrics. */
  public List<StateCount> states() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT purpose, s, COUNT(*) AS n FROM (SELECT purpose, CASE WHEN state IN"
                        + " ('GIVEN', 'RENEWED') AND expires_at <= :now THEN 'EXPIRED' ELSE state"
                        + " END AS s FROM consent_state) x GROUP BY purpose, s")
                .bind("now", Instant.now().atOffset(ZoneOffset.UTC))
                .map(
                    (rs, ctx) ->
                        new StateCount(rs.getString("purpose"), rs.getString("s"), rs.getLong("n")))
                .list());
  }
}
