package dev.privacykit.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.consent.Incident;
import dev.privacykit.consent.IncidentDetails;
import dev.privacykit.policies.Regime;
import dev.privacykit.server.cli.IncidentsCommand;
import dev.privacykit.server.http.PrivacyKitServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code privacykit incidents list|report} on a real embedded database. */
class IncidentsCliTest {

  @Test
  void incidentsListAndReport_printTheRegister_andRefuseAnotherTenant(@TempDir Path dir) {
    Instant detected = Instant.parse("2026-01-31T10:00:00Z");
    String id;
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null))) {
      Incident incident =
          server
              .services()
              .incidents
              .record("demo", Regime.DPDP, detected, IncidentDetails.of("<b>laptop</b> lost"));
      id = incident.id();
    }
    MainTest.Result list =
        MainTest.run("incidents", "list", "--data-dir", dir.toString(), "--tenant", "demo");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out())
        .contains(id + "\tOPEN\tDPDP\tdetected " + detected)
        .contains("authority due " + detected.plus(Duration.ofHours(72)))
        .contains("OVERDUE: authority,principals,report");
    MainTest.Result html =
        MainTest.run(
            "incidents",
            "report",
            id,
            "--data-dir",
            dir.toString(),
            "--tenant",
            "demo",
            "--format",
            "html");
    assertThat(html.code()).as(html.err()).isZero();
    assertThat(html.out()).startsWith("<!DOCTYPE html>").contains("&lt;b&gt;laptop&lt;/b&gt; lost");
    MainTest.Result json =
        MainTest.run("incidents", "report", id, "--data-dir", dir.toString(), "--tenant", "demo");
    assertThat(json.out()).contains("\"provision\" : \"DPDP Rules 2025, rule 7(2)(b)\"");
    MainTest.Result other =
        MainTest.run("incidents", "report", id, "--data-dir", dir.toString(), "--tenant", "beta");
    assertThat(other.code()).isEqualTo(IncidentsCommand.EXIT_NOT_FOUND);
  }
}
