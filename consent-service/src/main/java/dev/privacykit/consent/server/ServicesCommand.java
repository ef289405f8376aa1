package dev.privacykit.consent.server;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command-line tool that works on the configured database's services, then closes them. */
abstract class ServicesCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;
  @Spec CommandSpec spec;

  /** The command's standard output. */
  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Does the command's work; returns its exit code. */
  abstract int run(Services services) throws Exception;

  @Override
  public Integer call() throws Exception {
    return ConfigOptions.withServices(options.load(), this::run);
  }
}
