package dev.privacykit.server.http;

import dev.privacykit.audit.VerificationRun;
import dev.privacykit.consent.ConsentFigures;
import dev.privacykit.consent.DataSubjectRequest;
import dev.privacykit.server.Services;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The privacy state as metrics, across tenants, with bounded labels that name no one: (subject,
 * purpose) pairs per purpose and consent state, open and overdue data-subject requests per type and
 * regime, failing webhook deliveries, the latest checkpoint's age, the last verification's result
 * and age. Read from the database at most every {@link #MAX_AGE}, on a scrape; when the database
 * does not answer, the last values stay.
 */
final class PrivacyGauges {
  static final Duration MAX_AGE = Duration.ofSeconds(15);
  private static final Logger log = LoggerFactory.getLogger(PrivacyGauges.class);

  private final Services services;
  private final MultiGauge consents;
  private final MultiGauge open;
  private final MultiGauge overdue;
  private volatile long failing;
  private volatile Instant checkpointSignedAt;
  private volatile VerificationRun verification;
  private volatile double publishedSize = Double.NaN;
  private Instant refreshed = Instant.EPOCH;

  PrivacyGauges(Services services, MeterRegistry registry) {
    this.services = services;
    this.consents =
        MultiGauge.builder("privacykit_consents")
            .description("(subject, purpose) pairs per purpose and consent state, every tenant")
            .register(registry);
    this.open =
        MultiGauge.builder("privacykit_requests_open")
            .description("data-subject requests not yet closed, per type and regime")
            .register(registry);
    this.overdue =
        MultiGauge.builder("privacykit_requests_overdue")
            .description("data-subject requests past their legal due date, per type and regime")
            .register(registry);
    Gauge.builder("privacykit_webhook_deliveries_failing", this, g -> g.failing)
        .description("webhook deliveries whose last attempt failed (given up or retrying)")
        .register(registry);
    Gauge.builder("privacykit_checkpoint_age_seconds", this, g -> age(g.checkpointSignedAt))
        .description("seconds since the latest checkpoint was signed (NaN: none yet)")
        .register(registry);
    Gauge.builder(
            "privacykit_audit_verification_ok",
            this,
            g -> g.verification == null ? Double.NaN : g.verification.ok() ? 1 : 0)
        .description("1 when the last verification found the log intact, 0 when broken, NaN: never")
        .register(registry);
    Gauge.builder(
            "privacykit_audit_verification_age_seconds",
            this,
            g -> g.verification == null ? Double.NaN : age(g.verification.verifiedAt()))
        .description("seconds since the log was last verified (NaN: never)")
        .register(registry);
    Gauge.builder("privacykit_audit_published_size", this, g -> g.publishedSize)
        .description(
            "the largest checkpoint a quorum of witnesses cosigned (NaN: none, or no witnesses)")
        .register(registry);
  }

  /** Reads the figures again when they are older than {@link #MAX_AGE}. */
  synchronized void refreshIfStale() {
    Instant now = Instant.now();
    if (Duration.between(refreshed, now).compareTo(MAX_AGE) < 0) {
      return;
    }
    refreshed = now;
    try {
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      for (ConsentFigures.StateCount c : services.figures.states()) {
        rows.add(
            MultiGauge.Row.of(
                Tags.of("purpose", c.purpose(), "state", c.state().toLowerCase(Locale.ROOT)),
                c.count()));
      }
      consents.register(rows, true);
      Map<Tags, long[]> requests = new HashMap<>();
      for (DataSubjectRequest r : services.requests.unclosed(null)) {
        Tags tags =
            Tags.of(
                "type", r.type().name().toLowerCase(Locale.ROOT),
                "regime", r.regime().name().toLowerCase(Locale.ROOT));
        long[] counts = requests.computeIfAbsent(tags, t -> new long[2]);
        counts[0]++;
        counts[1] += r.isOverdue(now) ? 1 : 0;
      }
      open.register(rows(requests, 0), true);
      overdue.register(rows(requests, 1), true);
      failing = services.figures.failingDeliveries(null);
      checkpointSignedAt =
          services
              .audits
              .anchor()
              .latestCheckpoint()
              .flatMap(c -> services.audits.anchor().checkpointSignedAt(c.size()))
              .orElse(null);
      verification = services.audits.lastVerification().orElse(null);
      publishedSize =
          services
              .audits
              .anchor()
              .publication()
              .published()
              .map(p -> (double) p.size())
              .orElse(Double.NaN);
    } catch (RuntimeException e) {
      log.warn("privacy metrics not refreshed: {}", e.getClass().getSimpleName());
    }
  }

  private static List<MultiGauge.Row<?>> rows(Map<Tags, long[]> counts, int column) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    counts.forEach((tags, c) -> rows.add(MultiGauge.Row.of(tags, c[column])));
    return rows;
  }

  private static double age(Instant at) {
    return at == null ? Double.NaN : Duration.between(at, Instant.now()).toMillis() / 1000.0;
  }
}
