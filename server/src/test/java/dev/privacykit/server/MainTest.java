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
