package dev.privacykit.server.cli;

import dev.privacykit.server.DevIssuer;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.Setting;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code privacykit token mint}: a token from the local development issuer, or from a demo issuer
 * key made by {@code token issuer} (to try production mode with a JWKS file, as the compose file
 * and the container test do, before an identity provider is wired in).
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Development and demo tokens.",
    subcommands = {TokenCommand.Mint.class, TokenCommand.Issuer.class})
public final class TokenCommand {

  @Command(
      name = "issuer",
      mixinStandardHelpOptions = true,
      description =
          "Make a demo issuer: a private key (owner-only) and its public JWKS file, for"
              + " auth.jwks_file in production mode. Real deployments use their identity provider.")
  static final class Issuer implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--key",
        required = true,
        description = "Private key file, made if missing; keep it out of the service's image.")
    Path key;

    @Option(names = "--jwks", required = true, description = "Public JWKS file to write.")
    Path jwks;

    @Option(names = "--issuer", required = true, description = "Issuer name (iss).")
    String issuer;

    @Override
    public Integer call() throws Exception {
      DevIssuer demo = DevIssuer.open(key, issuer);
      Files.writeString(jwks, demo.jwks(), StandardCharsets.UTF_8);
      spec.commandLine().getOut().println(jwks);
      return 0;
    }
  }

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
        names = "--issuer-key",
        description =
            "Sign with this demo issuer key (see token issuer) instead of the development issuer.")
    Path issuerKey;

    @Option(names = "--issuer", description = "Issuer name (iss) of --issuer-key.")
    String issuerName;

    @Option(
        names = "--ttl-minutes",
        defaultValue = "60",
        description = "Lifetime in minutes, at most 1440 (default ${DEFAULT-VALUE}).")
    int ttlMinutes;

    @Override
    public Integer call() throws Exception {
      ServerConfig config = options.load();
      if (ttlMinutes < 1 || ttlMinutes > 1_440) {
        throw new IllegalArgumentException("--ttl-minutes must be 1 to 1440");
      }
      if ((issuerKey == null) != (issuerName == null)) {
        throw new IllegalArgumentException("--issuer-key and --issuer go together");
      }
      if (issuerKey != null && !Files.exists(issuerKey)) {
        throw new IllegalArgumentException(
            "no issuer key at --issuer-key: make it with token issuer");
      }
      if (issuerKey == null && config.production()) {
        throw new IllegalArgumentException(
            "token mint is for development mode only; production tokens come from your issuer");
      }
      DevIssuer issuer =
          issuerKey == null
              ? DevIssuer.open(config.dataDirectory())
              : DevIssuer.open(issuerKey, issuerName);
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
