package dev.privacykit.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.server.cli.AuditCommand;
import dev.privacykit.server.http.PrivacyKitServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line tools on a real embedded database. */
class CliTest {

  @Test
  void auditVerify_passesOnAnIntactLog_andFailsWithExit1OnATamperedRow(@TempDir Path dir)
      throws Exception {
    try (PrivacyKitServer server =
        PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null))) {
      for (int i = 0; i < 5; i++) {
        server
            .services()
            .audit
            .append(
                dev.privacykit.audit.AuditEntry.builder(
                        "demo", "agent", dev.privacykit.audit.Action.READ)
                    .subject("user-" + i)
                    .build())
            .join();
      }
    }
    MainTest.Result intact = MainTest.run("audit", "verify", "--data-dir", dir.toString());
    assertThat(intact.code()).as(intact.err()).isZero();
    assertThat(intact.out()).contains("audit log intact: 5 entries");
    MainTest.Result report =
        MainTest.run(
            "audit",
            "report",
            "--data-dir",
            dir.toString(),
            "--tenant",
            "demo",
            "--subject",
            "user-3",
            "--format",
            "html");
    assertThat(report.out()).startsWith("<!DOCTYPE html>").contains("user-3");
    assertThat(MainTest.run("audit", "checkpoint", "--data-dir", dir.toString()).out())
        .contains("verifier key: privacykit-audit+");
    try (dev.privacykit.storage.Database db = dev.privacykit.storage.Database.embedded(dir)) {
      dev.privacykit.storage.spi.Jdbis.of(db)
          .useHandle(
              h -> {
                // an attacker with the database owner's rights: drop the guard, edit a row
                h.execute("DROP TRIGGER audit_entries_append_only");
                h.execute("UPDATE audit_entries SET actor = 'someone-else' WHERE seq = 2");
              });
    }
    MainTest.Result broken = MainTest.run("audit", "verify", "--data-dir", dir.toString());
    assertThat(broken.code()).isEqualTo(AuditCommand.EXIT_BROKEN);
    assertThat(broken.out()).contains("audit log broken at seq 2 (LEAF)");
  }

  @Test
  void productionMode_withoutIssuerOrKeys_refusesAndNamesTheSettings(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("privacykit.yaml");
    Files.writeString(config, "mode: production\nserver:\n  port: 0\n");
    MainTest.Result result =
        MainTest.run("serve", "--config", config.toString(), "--data-dir", dir.toString());
    assertThat(result.code()).isEqualTo(Main.EXIT_CONFIG);
    assertThat(result.err())
        .contains("production mode needs")
        .contains("PRIVACYKIT_ISSUER")
        .contains("PRIVACYKIT_JWKS_URL")
        .contains("PRIVACYKIT_KEY_SOURCE");
    assertThat(MainTest.run("token", "mint", "--config", config.toString()).err())
        .contains("development mode only");
    Files.writeString(config, "mode: production\nservr:\n  port: 0\n");
    assertThat(MainTest.run("serve", "--config", config.toString()).err())
        .contains("unknown setting 'servr.port'");
  }

  @Test
  void policyCheck_acceptsAPack_andPositionsProblems(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("gdpr.yaml");
    Files.writeString(good, dev.privacykit.policies.PolicyPacks.text("gdpr.yaml"));
    assertThat(MainTest.run("policy", "check", good.toString()).out()).startsWith("policy ok:");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad, "policy: 1\nname: x\nregime: GDPR\npurposes:\n  - id: a\n    basis: nope\n");
    MainTest.Result result = MainTest.run("policy", "check", bad.toString());
    assertThat(result.code()).isEqualTo(1);
    assertThat(result.out()).contains("bad.yaml:");
  }

  @Test
  void readmeConfigurationTable_listsEverySetting() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (Setting setting : Setting.values()) {
      assertThat(readme)
          .as(setting.env)
          .contains("`" + setting.env + "`")
          .contains("`" + setting.key + "`");
    }
  }
}
