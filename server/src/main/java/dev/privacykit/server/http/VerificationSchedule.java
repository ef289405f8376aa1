package dev.privacykit.server.http;

import dev.privacykit.audit.Verification;
import dev.privacykit.server.Services;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the audit log on a schedule ({@code audit.verify_every_minutes}): incrementally, from
 * the tree the last good run proved, on its own thread so a long run never delays webhooks or the
 * outbox. A failed run raises an incident candidate in the breach register. The first run comes a
 * minute after start; each is recorded like an API run, so the console, {@code /v1/status} and the
 * metrics show it.
 */
final class VerificationSchedule implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VerificationSchedule.class);
  private final ScheduledExecutorService executor;

  private VerificationSchedule(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  static VerificationSchedule start(Services services, Duration every) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "privacykit-verification");
              thread.setDaemon(true);
              return thread;
            });
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            Verification result = services.audits.verify(true);
            if (!result.ok()) {
              log.error("audit log verification failed: {}", result.failure().get().message());
              services.incidents.auditVerificationFailed(result); // a candidate per tenant
            }
          } catch (RuntimeException e) {
            log.warn("audit log verification did not run: {}", e.getClass().getSimpleName());
          }
        },
        Math.min(60, every.toSeconds()),
        every.toSeconds(),
        TimeUnit.SECONDS);
    return new VerificationSchedule(executor);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
