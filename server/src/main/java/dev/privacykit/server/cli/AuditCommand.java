package dev.privacykit.server.cli;

import dev.privacykit.audit.Checkpoint;
import dev.privacykit.audit.Verification;
import dev.privacykit.server.ReportFormat;
import dev.privacykit.server.Services;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code privacykit audit verify|report|checkpoint|records|tiles|proof}. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Verify the audit log, print reports and checkpoints.",
    subcommands = {
      AuditCommand.Verify.class,
      AuditCommand.Report.class,
      AuditCommand.CheckpointCommand.class,
      RecordsCommand.class,
      TilesCommand.class,
      ProofCommand.class
    })
public final class AuditCommand {
  /** Exit code of {@code audit verify} when the log is broken. */
  public static final int EXIT_BROKEN = 1;

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Recompute the whole log, check every checkpoint, compare with the witnesses and a"
              + " trusted checkpoint; exit 1 when broken.")
  static final class Verify extends ServicesCommand {
    @Option(
        names = "--trusted",
        description =
            "A checkpoint saved earlier (audit checkpoint's output): the database must extend it.")
    java.nio.file.Path trusted;

    @Override
    int run(Services services) throws Exception {
      PrintWriter out = out();
      Verification verification = services.audits.verify(false);
      if (verification.ok() && trusted != null) {
        var failure =
            services
                .audit
                .publication()
                .compareWith(
                    java.nio.file.Files.readString(
                        trusted, java.nio.charset.StandardCharsets.UTF_8));
        if (failure.isPresent()) {
          out.println(failure.get().message());
          return EXIT_BROKEN;
        }
      }
      if (verification.ok()) {
        out.println(
            "audit log intact: "
                + verification.entries()
                + " entries, "
                + verification.checkpoints()
                + " checkpoints verified");
        return 0;
      }
      out.println(verification.failure().orElseThrow().message());
      return EXIT_BROKEN;
    }
  }

  @Command(
      name = "report",
      mixinStandardHelpOptions = true,
      description = "A subject access report, verified against the latest checkpoint.")
  static final class Report extends ServicesCommand {
    @Option(names = "--tenant", required = true, description = "Tenant.")
    String tenant;

    @Option(names = "--subject", required = true, description = "Subject's pseudonymous reference.")
    String subject;

    @Option(
        names = "--format",
        defaultValue = "json",
        description = "json, csv or html (default ${DEFAULT-VALUE}).")
    ReportFormat format;

    @Override
    int run(Services services) throws Exception {
      format.writeSubjectReport(services, tenant, subject, out());
      return 0;
    }
  }

  @Command(
      name = "checkpoint",
      mixinStandardHelpOptions = true,
      description = "Sign a checkpoint of the log now and print it with the verifier key.")
  static final class CheckpointCommand extends ServicesCommand {
    @Override
    int run(Services services) throws Exception {
      PrintWriter out = out();
      Checkpoint checkpoint = services.audits.checkpointNow();
      out.print(checkpoint.note());
      out.println();
      out.println("verifier key: " + services.audit.verifierKey());
      return 0;
    }
  }
}
