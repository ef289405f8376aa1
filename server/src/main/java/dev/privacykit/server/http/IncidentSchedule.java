package dev.privacykit.server.http;

import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.Services;
import dev.privacykit.server.Setting;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the breach detector on the service's scheduler ({@code incidents.scan_window_minutes}):
 * windows are aligned to the epoch (a 60-minute window is each whole UTC hour), and each run scans
 * the last two complete ones, so a run that comes late skips none; the register's dedupe keeps a
 * window scanned twice, by one process or several, from raising anything twice.
 */
final class IncidentSchedule {
  private static final Logger log = LoggerFactory.getLogger(IncidentSchedule.class);

  private IncidentSchedule() {}

  static void start(ScheduledExecutorService scheduler, ServerConfig config, Services services) {
    int minutes = config.integer(Setting.INCIDENT_SCAN_MINUTES);
    if (minutes <= 0) {
      return;
    }
    Duration window = Duration.ofMinutes(minutes);
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            long size = window.toMillis();
            Instant end =
                Instant.ofEpochMilli(Math.floorDiv(Instant.now().toEpochMilli(), size) * size);
            int raised =
                services.incidents.detect(end.minus(window), end).size()
                    + services
                        .incidents
                        .detect(end.minus(window.multipliedBy(2)), end.minus(window))
                        .size();
            if (raised > 0) {
              log.warn("breach detector raised {} incident candidate(s)", raised);
            }
          } catch (RuntimeException e) {
            log.warn("breach detector run failed: {}", e.getClass().getSimpleName());
          }
        },
        1,
        Math.min(minutes, 15),
        TimeUnit.MINUTES);
  }
}
