package dev.privacykit.server.cli;

import dev.privacykit.consent.RetentionAction;
import dev.privacykit.consent.RetentionRun;
import dev.privacykit.server.Services;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code privacykit retention run [--dry-run] [--tenant T]}: the retention rules, now. */
@Command(
    name = "retention",
    mixinStandardHelpOptions = true,
    description = "Apply the policy's retention rules now, or show what they would do.",
    subcommands = {RetentionCommand.Run.class})
public final class RetentionCommand {
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description =
          "Apply the retention rules (erasures, notices 48 hours ahead, calls-off); one line per"
              + " action: kind, status, tenant, subject, purpose, due, why.")
  static final class Run extends ServicesCommand {
    @Option(names = "--dry-run", description = "Only say what would be done; write nothing.")
    boolean dryRun;

    @Option(names = "--tenant", description = "Only this tenant (every tenant when left out).")
    String tenant;

    @Override
    int run(Services services) {
      PrintWriter out = out();
      RetentionRun run = services.retention.run(tenant, dryRun);
      for (RetentionAction a : run.actions()) {
        out.println(
            String.join(
                "\t",
                a.kind().name(),
                a.status().name(),
                a.tenant(),
                a.subject(),
                a.purpose(),
                "due " + a.dueAt(),
                a.note()));
      }
      out.println(
          (dryRun ? "dry run: " : "")
              + run.actions().size()
              + " action(s)"
              + (run.more() ? "; more remain for the next run" : ""));
      return 0;
    }
  }
}
