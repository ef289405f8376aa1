package dev.privacykit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class MainTest {

  public record Result(int code, String out, String err) {}

  public static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void serve_wrongJdbcUrl_printsOneLineNamingTheProblem() {
    Result result =
        run(
            "serve",
            "--port",
            "0",
            "--database-url",
            "jdbc:postgresql://127.0.0.1:1/nowhere?password=pw");
    assertThat(result.code()).isEqualTo(Main.EXIT_CONFIG);
    assertThat(result.err().strip())
        .startsWith(
            "privacykit: cannot connect to the database at jdbc:postgresql://127.0.0.1:1/nowhere: ")
        .doesNotContain("pw")
        .doesNotContain("\n")
        .doesNotContain("Exception");
  }

  /**
   * DPDP Rules 2025, rules 6(1)(e) and 8(3): logs of processing are kept at least a year, so a DPDP
   * policy refuses a shorter audit retention, naming the setting; a year and a day is accepted.
   */
  @Test
  void auditRetention_shorterThanAYear_isRefusedUnderADpdpPolicy(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path policy = dir.resolve("dpdp.yaml");
    java.nio.file.Files.writeString(policy, dev.privacykit.policies.PolicyPacks.text("dpdp.yaml"));
    for (int days : new int[] {100, 365, 366}) {
      java.nio.file.Path config = dir.resolve("privacykit-" + days + ".yaml");
      java.nio.file.Files.writeString(
          config,
          "data_dir: "
              + dir.resolve("data")
              + "\npolicy:\n  file: "
              + policy
              + "\naudit:\n  retention_days: "
              + days
              + "\n");
      Result result = run("audit", "verify", "--config", config.toString());
      if (days < 366) {
        assertThat(result.code()).as(result.err()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(result.err())
            .contains("audit.retention_days (PRIVACYKIT_AUDIT_RETENTION_DAYS) must be 0")
            .contains("at least 366 under a DPDP policy")
            .contains("was " + days);
      } else {
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("audit log intact");
      }
    }
  }

  @Test
  void serve_unsupportedUrl_saysWhatIsExpected() {
    Result result = run("serve", "--port", "0", "--database-url", "jdbc:mysql://db/app");
    assertThat(result.code()).isEqualTo(Main.EXIT_CONFIG);
    assertThat(result.err().strip())
        .isEqualTo(
            "privacykit: unsupported JDBC URL jdbc:mysql://db/app: expected one starting with"
                + " jdbc:postgresql: or jdbc:h2:");
  }

  @Test
  void serve_badPort_isAUsageError() {
    Result result = run("serve", "--port", "eighty");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("Invalid value for option '--port'");
  }

  @Test
  void databaseSchema_thatIsNotAPlainIdentifier_isRefusedNamingTheSetting() {
    assertThatThrownBy(
            () ->
                ServerConfig.load(
                    null, Map.of("PRIVACYKIT_DATABASE_SCHEMA", "app; DROP TABLE x"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("database.schema (PRIVACYKIT_DATABASE_SCHEMA) must be");
    assertThat(
            ServerConfig.load(null, Map.of("PRIVACYKIT_DATABASE_SCHEMA", "tenant_a"), Map.of())
                .get(Setting.DATABASE_SCHEMA))
        .isEqualTo("tenant_a");
  }

  @Test
  void logFormat_otherThanTextOrJson_isRefusedNamingTheSetting() {
    assertThatThrownBy(
            () -> ServerConfig.load(null, Map.of("PRIVACYKIT_LOG_FORMAT", "xml"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("log.format (PRIVACYKIT_LOG_FORMAT) must be text or json");
  }

  @Test
  void help_listsServe() {
    Result result = run("--help");
    assertThat(result.code()).isZero();
    assertThat(result.out()).contains("serve");
  }
}
