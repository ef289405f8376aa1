package dev.privacykit.server.cli;

import dev.privacykit.policies.PolicyLoadException;
import dev.privacykit.policies.PolicyLoader;
import dev.privacykit.policies.PolicySet;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code privacykit policy check FILE}: load a policy file and print its problems. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "Policy files.",
    subcommands = {PolicyCommand.Check.class})
public final class PolicyCommand {

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = "Check a policy file; exit 1 with positioned problems when it is invalid.")
  static final class Check implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "The policy YAML file.")
    Path file;

    @Override
    public Integer call() throws Exception {
      try {
        PolicySet policy = PolicyLoader.load(file);
        spec.commandLine()
            .getOut()
            .println(
                "policy ok: "
                    + policy.name()
                    + " ("
                    + policy.regime()
                    + "), "
                    + policy.purposes().size()
                    + " purposes, "
                    + policy.categories().size()
                    + " categories");
        return 0;
      } catch (PolicyLoadException e) {
        spec.commandLine().getOut().println(e.getMessage());
        return 1;
      }
    }
  }
}
