package dev.privacykit.server;

import dev.privacykit.consent.RetentionExecutor;
import dev.privacykit.storage.Database;
import java.time.Duration;

/**
 * Opens the retention executor from the {@code retention.*} settings: how often it runs (0 to a
 * week) and the notice before an erasure for inactivity (48 hours, the least DPDP rule 8(2) allows,
 * to 30 days), each named in the message when out of range. Stateless.
 */
final class RetentionSettings {
  private RetentionSettings() {}

  static RetentionExecutor open(ServerConfig config, Database database, Services services) {
    int every = config.integer(Setting.RETENTION_RUN_EVERY_MINUTES);
    if (every < 0 || every > 10_080) {
      throw new IllegalArgumentException(
          Setting.RETENTION_RUN_EVERY_MINUTES.label() + " must be 0 to 10080 (a week)");
    }
    int hours = config.integer(Setting.RETENTION_NOTICE_HOURS);
    if (hours < 48 || hours > 720) {
      throw new IllegalArgumentException(
          Setting.RETENTION_NOTICE_HOURS.label()
              + " must be 48 to 720: DPDP Rules 2025, rule 8(2) asks for at least 48 hours");
    }
    return RetentionExecutor.open(
        database,
        c ->
            c.policy(services.policy)
                .audit(services.audits)
                .subjectKeys(services.subjectKeys)
                .notice(Duration.ofHours(hours)));
  }
}
