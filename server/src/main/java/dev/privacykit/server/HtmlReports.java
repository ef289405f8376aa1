package dev.privacykit.server;

import dev.privacykit.audit.AuditRecord;
import dev.privacykit.audit.SubjectAccessReport;
import dev.privacykit.consent.ConsentEvent;
import dev.privacykit.policies.ConsentAnswer;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.owasp.encoder.Encode;

/**
 * Human-readable HTML pages of a subject's consents and audit report, every value encoded with the
 * OWASP Java Encoder (values come from callers and may hold markup). Served with a CSP of {@code
 * default-src 'none'}, so the page runs no script and loads nothing.
 */
public final class HtmlReports {
  private HtmlReports() {}

  public static void write(
      Writer out,
      String title,
      SubjectAccessReport report,
      Map<String, ConsentAnswer> consents,
      List<ConsentEvent> history,
      Instant generatedAt)
      throws IOException {
    out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
    out.write(Encode.forHtml(title));
    out.write("</title></head><body>\n<h1>");
    out.write(Encode.forHtml(title));
    out.write("</h1>\n<p>Subject: <code>");
    out.write(Encode.forHtml(report.subject()));
    out.write("</code>. Generated ");
    out.write(Encode.forHtml(generatedAt.toString()));
    out.write(". Verified against checkpoint of size ");
    out.write(Long.toString(report.checkpoint().size()));
    out.write(", root <code>");
    out.write(Encode.forHtml(report.checkpoint().rootHex()));
    out.write("</code>.</p>\n");
    if (consents != null) {
      out.write("<h2>Current consents</h2>\n");
      table(
          out,
          List.of("purpose", "state", "notice version", "changed", "expires"),
          consents.entrySet().stream()
              .map(
                  e ->
                      List.of(
                          e.getKey(),
                          e.getValue().state().name(),
                          Integer.toString(e.getValue().noticeVersion()),
                          text(e.getValue().changedAt()),
                          text(e.getValue().expiresAt())))
              .toList());
      out.write("<h2>Consent history</h2>\n");
      table(
          out,
          List.of("when", "purpose", "state", "notice", "method", "acting party"),
          history.stream()
              .map(
                  e ->
                      List.of(
                          text(e.receivedAt()),
                          e.purpose(),
                          e.state().name(),
                          e.noticeId() + " v" + e.noticeVersion(),
                          e.method().name(),
                          e.actingParty().name()))
              .toList());
    }
    out.write("<h2>Who accessed the data</h2>\n");
    table(
        out,
        List.of("seq", "when", "actor", "action", "purpose", "legal basis", "recipient", "outcome"),
        report.entries().stream().map(HtmlReports::row).toList());
    out.write("</body></html>\n");
  }

  private static List<String> row(AuditRecord record) {
    var e = record.entry();
    return List.of(
        Long.toString(record.seq()),
        text(record.recordedAt()),
        e.actor(),
        e.action().name(),
        text(e.purpose()),
        text(e.legalBasis()),
        text(e.recipient()),
        e.outcome().name());
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }

  private static void table(Writer out, List<String> headings, List<List<String>> rows)
      throws IOException {
    out.write("<table>\n<tr>");
    for (String heading : headings) {
      out.write("<th>" + Encode.forHtml(heading) + "</th>");
    }
    out.write("</tr>\n");
    for (List<String> row : rows) {
      out.write("<tr>");
      for (String cell : row) {
        out.write("<td>" + Encode.forHtml(cell) + "</td>");
      }
      out.write("</tr>\n");
    }
    out.write("</table>\n");
  }
}
