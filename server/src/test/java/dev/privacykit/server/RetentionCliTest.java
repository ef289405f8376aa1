package dev.privacykit.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.consent.ConsentChange;
import dev.privacykit.server.http.PrivacyKitServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code privacykit retention run [--dry-run]} on a real embedded database. */
class RetentionCliTest {

  @Test
  void retentionRun_dryRunPlansWithoutActing_thenActsOnce_andOnlyForItsTenant(@TempDir Path dir)
      throws Exception {
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null))) {
      var services = server.services();
      ConsentChange change = ConsentChange.of("demo", "subj_lapsed", "email_marketing", 2, "en");
      services.ledger.give(change);
      services.ledger.withdraw(change);
      try (Connection c = services.database.dataSource().getConnection();
          PreparedStatement s =
              c.prepareStatement(
                  "UPDATE consent_state SET changed_at = ? WHERE tenant = 'demo'"
                      + " AND subject = 'subj_lapsed'")) {
        s.setObject(1, Instant.now().minus(Duration.ofDays(31)).atOffset(ZoneOffset.UTC));
        assertThat(s.executeUpdate()).isEqualTo(1);
      }
    }
    MainTest.Result other =
        MainTest.run("retention", "run", "--data-dir", dir.toString(), "--tenant", "beta");
    assertThat(other.code()).as(other.err()).isZero();
    assertThat(other.out()).isEqualTo("0 action(s)\n");
    MainTest.Result dry =
        MainTest.run(
            "retention", "run", "--dry-run", "--data-dir", dir.toString(), "--tenant", "demo");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out())
        .contains("ERASE\tPLANNED\tdemo\tsubj_lapsed\temail_marketing\t")
        .contains("consent ended; the grace of P30D has passed")
        .endsWith("dry run: 1 action(s)\n");
    MainTest.Result run = MainTest.run("retention", "run", "--data-dir", dir.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("ERASE\tDONE\tdemo\tsubj_lapsed").endsWith("1 action(s)\n");
    MainTest.Result again = MainTest.run("retention", "run", "--data-dir", dir.toString());
    assertThat(again.out()).as("acted once").isEqualTo("0 action(s)\n");
  }
}
