package dev.privacykit.server.cli;

import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.Services;
import dev.privacykit.storage.Database;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command-line tool that opens the configured database (migrating it) and its services, works on
 * them, then closes them.
 */
public abstract class ServicesCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;
  @Spec CommandSpec spec;

  /** The command's standard output. */
  public PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Does the command's work; returns its exit code. */
  abstract int run(Services services) throws Exception;

  @Override
  public Integer call() throws Exception {
    ServerConfig config = options.load();
    try (Database database = config.openDatabase()) {
      database.migrate();
      try (Services services = Services.open(config, database)) {
        return run(services);
      }
    }
  }
}
