package dev.privacykit.server;

import dev.privacykit.consent.IncidentReports;
import java.io.IOException;
import java.io.Writer;
import org.owasp.encoder.Encode;

/**
 * The HTML page of an incident's report draft, every value encoded with the OWASP Java Encoder (the
 * fields come from whoever recorded the incident and may hold markup). Served with a CSP of {@code
 * default-src 'none'}, so the page runs no script and loads nothing. Stateless.
 */
public final class IncidentHtml {
  private static final String MISSING = "not yet known: to be provided";

  private IncidentHtml() {}

  /** Writes the draft as one HTML page. */
  public static void write(Writer out, IncidentReports.Draft draft) throws IOException {
    var incident = draft.incident();
    out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
    out.write(Encode.forHtml(draft.title()));
    out.write("</title></head><body>\n<h1>");
    out.write(Encode.forHtml(draft.title()));
    out.write("</h1>\n<p>Incident <code>");
    out.write(Encode.forHtml(incident.id()));
    out.write("</code> (");
    out.write(Encode.forHtml(incident.regime().name() + ", " + incident.status().name()));
    out.write("). Generated ");
    out.write(Encode.forHtml(draft.generatedAt().toString()));
    out.write(".</p>\n<table>\n");
    row(out, "Became aware at", incident.detectedAt().toString());
    row(out, "Authority due by", incident.authorityDueAt().toString());
    row(out, "Authority notified at", text(incident.authorityNotifiedAt()));
    if (incident.reportDueAt() != null) {
      row(out, "Detailed report due by", incident.reportDueAt().toString());
      row(out, "Detailed report filed at", text(incident.reportFiledAt()));
    }
    row(
        out,
        "Overdue",
        incident.overdue().isEmpty() ? "none" : String.join(", ", incident.overdue()));
    out.write("</table>\n");
    for (IncidentReports.Section section : draft.sections()) {
      out.write("<h2>");
      out.write(Encode.forHtml(section.provision() + ": " + section.title()));
      out.write("</h2>\n<table>\n");
      for (IncidentReports.Field field : section.fields()) {
        row(out, field.label(), field.value());
      }
      out.write("</table>\n");
    }
    out.write("</body></html>\n");
    out.flush();
  }

  private static void row(Writer out, String label, String value) throws IOException {
    out.write("<tr><th>");
    out.write(Encode.forHtml(label));
    out.write("</th><td>");
    out.write(value == null ? "<em>" + MISSING + "</em>" : Encode.forHtml(value));
    out.write("</td></tr>\n");
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }
}
