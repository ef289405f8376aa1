package dev.privacykit.server;

import dev.privacykit.server.cli.AuditCommand;
import dev.privacykit.server.cli.IncidentsCommand;
import dev.privacykit.server.cli.KeysCommand;
import dev.privacykit.server.cli.PolicyCommand;
import dev.privacykit.server.cli.RetentionCommand;
import dev.privacykit.server.cli.ServeCommand;
import dev.privacykit.server.cli.TokenCommand;
import dev.privacykit.server.cli.WitnessCommand;
import dev.privacykit.storage.StorageException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar privacykit.jar [command]}: the standalone service and its command-line tools.
 * With no command it runs {@code serve}.
 */
@Command(
    name = "privacykit",
    mixinStandardHelpOptions = true,
    version = "PrivacyKit 0.1.0",
    description = "Consent, field encryption, JWT authentication and a tamper-evident audit log.",
    subcommands = {
      ServeCommand.class,
      AuditCommand.class,
      IncidentsCommand.class,
      RetentionCommand.class,
      KeysCommand.class,
      TokenCommand.class,
      PolicyCommand.class,
      WitnessCommand.class
    })
public final class Main {
  /** Exit code for a failure the user can fix (bad setting, unreachable database). */
  static final int EXIT_CONFIG = 2;

  private Main() {}

  /** Runs the command line and exits with its status when it ends. */
  public static void main(String[] args) {
    int code = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    System.exit(code);
  }

  /** Runs the command line with the given streams and returns the exit code. */
  static int run(PrintWriter out, PrintWriter err, String... args) {
    String[] effective = args.length == 0 ? new String[] {"serve"} : args;
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setOut(out).setErr(err).setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExecutionExceptionHandler(
        (exception, line, parseResult) -> {
          line.getErr().println("privacykit: " + safeMessage(exception));
          return EXIT_CONFIG;
        });
    return commandLine.execute(effective);
  }

  private static String safeMessage(Exception exception) {
    if (exception instanceof StorageException || exception instanceof IllegalArgumentException) {
      return exception.getMessage();
    }
    Throwable root = exception;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof java.net.BindException) {
      return "cannot listen: " + root.getMessage();
    }
    return "failed to start (" + exception.getClass().getSimpleName() + "); see the log above";
  }
}
