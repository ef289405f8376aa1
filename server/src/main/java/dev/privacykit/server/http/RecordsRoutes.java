package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static dev.privacykit.server.http.ConsentRoutes.tenant;

import dev.privacykit.consent.ProcessingRecord;
import dev.privacykit.consent.RecordsOfProcessing;
import dev.privacykit.javalin.ProblemException;
import dev.privacykit.server.RecordsHtml;
import dev.privacykit.server.ReportFormat;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.Services;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@code /v1/reports/records-of-processing}: the tenant's record of processing activities (GDPR
 * Art. 30(1)) from the policy and the audit log, as JSON or HTML. It names no data subject, so it
 * needs the audit reports' scope ({@code audit:read}) and no more.
 */
final class RecordsRoutes {
  private final Services services;

  private RecordsRoutes(Services services) {
    this.services = services;
  }

  static void mount(JavalinConfig config, Services services) {
    RecordsRoutes routes = new RecordsRoutes(services);
    config.routes.get(
        "/v1/reports/records-of-processing", routes::records, requires(Scopes.AUDIT_READ));
  }

  private void records(Context ctx) throws Exception {
    ReportFormat format = Fields.queryEnum(ctx, "format", ReportFormat.class, ReportFormat.JSON);
    if (format == ReportFormat.CSV) {
      throw ProblemException.invalid("?format", "must be json or html");
    }
    Instant from = Fields.queryInstant(ctx, "from");
    Instant to = Fields.queryInstant(ctx, "to");
    from = from == null ? Instant.EPOCH : from;
    to = to == null ? Instant.now() : to;
    if (from.isAfter(to)) {
      throw ProblemException.invalid("?from", "must not be after to");
    }
    services.audit(tenant(ctx)).sync().join(); // what was appended before this read is in it
    RecordsOfProcessing records = RecordsOfProcessing.of(services.policy, services.audits);
    ProcessingRecord record = records.compute(tenant(ctx), from, to);
    ctx.contentType(format.contentType);
    try (Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
      if (format == ReportFormat.HTML) {
        RecordsHtml.write(out, record, services.audit.verifierKey());
      } else {
        records.writeJson(record, out);
      }
    }
  }
}
