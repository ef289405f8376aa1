package dev.privacykit.server.cli;

import dev.privacykit.consent.ProcessingRecord;
import dev.privacykit.consent.RecordsOfProcessing;
import dev.privacykit.server.RecordsHtml;
import dev.privacykit.server.Services;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code privacykit audit records}: the record of processing activities (GDPR Art. 30(1)) of a
 * tenant, from the policy and the audit log, as the HTTP route {@code
 * /v1/reports/records-of-processing} gives it.
 */
@Command(
    name = "records",
    mixinStandardHelpOptions = true,
    description =
        "The record of processing activities (GDPR Art. 30): policy, recipients and transfers,"
            + " security measures, and the processing the audit log shows, against a signed"
            + " checkpoint.")
final class RecordsCommand extends ServicesCommand {
  @Option(names = "--tenant", required = true, description = "Tenant.")
  String tenant;

  @Option(
      names = "--format",
      defaultValue = "json",
      description = "json or html (default ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--from", description = "Count processing from this time (RFC 3339).")
  Instant from;

  @Option(names = "--to", description = "Count processing up to this time (default now).")
  Instant to;

  @Override
  int run(Services services) throws Exception {
    if (!format.equals("json") && !format.equals("html")) {
      spec.commandLine().getErr().println("--format must be json or html");
      return 2;
    }
    Instant start = from == null ? Instant.EPOCH : from;
    Instant end = to == null ? Instant.now() : to;
    if (start.isAfter(end)) {
      spec.commandLine().getErr().println("--from must not be after --to");
      return 2;
    }
    RecordsOfProcessing records = RecordsOfProcessing.of(services.policy, services.audits);
    ProcessingRecord record = records.compute(tenant, start, end);
    if (format.equals("html")) {
      RecordsHtml.write(out(), record, services.audit.verifierKey());
    } else {
      records.writeJson(record, out());
    }
    out().flush();
    return 0;
  }
}
