package dev.privacykit.server;

import dev.privacykit.audit.AuditQuery;
import dev.privacykit.audit.ExportFormat;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;

/** The forms a report or access package comes in, with their HTTP content types. */
public enum ReportFormat {
  JSON("application/json"),
  CSV("text/csv; charset=utf-8"),
  HTML("text/html; charset=utf-8");

  public final String contentType;

  ReportFormat(String contentType) {
    this.contentType = contentType;
  }

  /** The audit log's export form (JSON or CSV). */
  public ExportFormat export() {
    return this == CSV ? ExportFormat.CSV : ExportFormat.JSON;
  }

  /**
   * Writes a subject access report of the audit log in this form, verified against the latest
   * checkpoint (the HTTP report and {@code privacykit audit report} both write this).
   */
  public void writeSubjectReport(Services services, String tenant, String subject, Writer out)
      throws IOException {
    if (this == HTML) {
      HtmlReports.write(
          out,
          "Subject access report",
          services.audit(tenant),
          null,
          tenant,
          subject,
          Instant.now());
    } else {
      services
          .audit(tenant)
          .reports()
          .export(AuditQuery.tenant(tenant).subject(subject), export(), out);
    }
    out.flush();
  }
}
