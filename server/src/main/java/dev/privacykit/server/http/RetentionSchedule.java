package dev.privacykit.server.http;

import dev.privacykit.consent.RetentionRun;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.Services;
import dev.privacykit.server.Setting;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the retention executor on the service's scheduler ({@code retention.run_every_minutes}) for
 * every tenant, a few minutes after start and then at that pace; a run that stopped at its limit is
 * followed by the next at once. Several processes may run it: each action is taken once.
 */
final class RetentionSchedule {
  private static final Logger log = LoggerFactory.getLogger(RetentionSchedule.class);

  private RetentionSchedule() {}

  static void start(ScheduledExecutorService scheduler, ServerConfig config, Services services) {
    int minutes = config.integer(Setting.RETENTION_RUN_EVERY_MINUTES);
    if (minutes <= 0) {
      return;
    }
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            RetentionRun run;
            int runs = 0;
            do {
              run = services.retention.run(null, false);
              if (!run.actions().isEmpty()) {
                log.info("retention: {} action(s) taken", run.actions().size());
              }
            } while (run.more() && ++runs < 100);
          } catch (RuntimeException e) {
            log.warn("retention run failed: {}", e.getClass().getSimpleName());
          }
        },
        Math.min(5, minutes),
        minutes,
        TimeUnit.MINUTES);
  }
}
