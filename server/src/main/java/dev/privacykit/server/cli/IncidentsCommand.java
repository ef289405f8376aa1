package dev.privacykit.server.cli;

import dev.privacykit.consent.Incident;
import dev.privacykit.consent.IncidentReports;
import dev.privacykit.server.IncidentHtml;
import dev.privacykit.server.Services;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code privacykit incidents list|report}: the breach register from the command line. */
@Command(
    name = "incidents",
    mixinStandardHelpOptions = true,
    description = "List a tenant's incidents with their clocks; print an incident's report draft.",
    subcommands = {IncidentsCommand.ListCommand.class, IncidentsCommand.Report.class})
public final class IncidentsCommand {
  /** Exit code when the incident does not exist (in that tenant). */
  public static final int EXIT_NOT_FOUND = 3;

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "A tenant's incidents, overdue ones first: id, status, regime, due, overdue.")
  static final class ListCommand extends ServicesCommand {
    @Option(names = "--tenant", required = true, description = "Tenant.")
    String tenant;

    @Override
    int run(Services services) {
      PrintWriter out = out();
      for (Incident i : services.incidents.list(tenant)) {
        out.println(
            String.join(
                "\t",
                i.id(),
                i.status().name(),
                i.regime().name(),
                "detected " + i.detectedAt(),
                "authority due " + i.authorityDueAt(),
                i.overdue().isEmpty() ? "on time" : "OVERDUE: " + String.join(",", i.overdue())));
      }
      return 0;
    }
  }

  @Command(
      name = "report",
      mixinStandardHelpOptions = true,
      description = "The draft of an incident's report to its authority.")
  static final class Report extends ServicesCommand {
    @Parameters(index = "0", description = "The incident's id.")
    String id;

    @Option(names = "--tenant", required = true, description = "Tenant the incident belongs to.")
    String tenant;

    @Option(
        names = "--format",
        defaultValue = "json",
        description = "json or html (default ${DEFAULT-VALUE}).")
    String format;

    @Override
    int run(Services services) throws Exception {
      PrintWriter out = out();
      if (!format.equals("json") && !format.equals("html")) {
        spec.commandLine().getErr().println("--format must be json or html");
        return 2;
      }
      var incident = services.incidents.get(id).filter(i -> i.tenant().equals(tenant));
      if (incident.isEmpty()) {
        spec.commandLine().getErr().println("no such incident in this tenant");
        return EXIT_NOT_FOUND;
      }
      IncidentReports.Draft draft = IncidentReports.draft(incident.get(), Instant.now());
      if (format.equals("html")) {
        IncidentHtml.write(out, draft);
      } else {
        out.println(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .writerWithDefaultPrettyPrinter()
                .writeValueAsString(draft.toMap()));
      }
      out.flush();
      return 0;
    }
  }
}
