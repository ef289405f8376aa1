package dev.privacykit.server.cli;

import dev.privacykit.server.DevIssuer;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.Setting;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code privacykit token mint}: a development token from the local development issuer. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Development tokens.",
    subcommands = {TokenCommand.Mint.class})
public final class TokenCommand {

  @Command(
      name = "mint",
      mixinStandardHelpOptions = true,
      description = "Print a token from the development issuer (development mode only).")
  static final class Mint implements Callable<Integer> {
    @Mixin ConfigOptions options;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--tenant",
        defaultValue = "demo",
        description = "Tenant claim (default ${DEFAULT-VALUE}).")
    String tenant;

    @Option(
        names = "--subject",
        defaultValue = "dev-backend",
        description = "Subject (default ${DEFAULT-VALUE}).")
    String subject;

    @Option(
        names = "--scopes",
        split = ",",
        defaultValue = Scopes.ADMIN,
        description = "Scopes, comma-separated (default ${DEFAULT-VALUE}).")
    List<String> scopes;

    @Option(
        names = "--ttl-minutes",
        defaultValue = "60",
        description = "Lifetime in minutes, at most 1440 (default ${DEFAULT-VALUE}).")
    int ttlMinutes;

    @Override
    public Integer call() throws Exception {
      ServerConfig config = options.load();
      if (config.production()) {
        throw new IllegalArgumentException(
            "token mint is for development mode only; production tokens come from your issuer");
      }
      if (ttlMinutes < 1 || ttlMinutes > 1_440) {
        throw new IllegalArgumentException("--ttl-minutes must be 1 to 1440");
      }
      DevIssuer issuer = DevIssuer.open(config.dataDirectory());
      spec.commandLine()
          .getOut()
          .println(
              issuer.mint(
                  subject,
                  tenant,
                  scopes,
                  config.list(Setting.AUDIENCE).get(0),
                  Duration.ofMinutes(ttlMinutes)));
      return 0;
    }
  }
}
