package dev.privacykit.server;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditQuery;
import dev.privacykit.audit.AuditRecord;
import dev.privacykit.audit.Checkpoint;
import dev.privacykit.consent.ConsentLedger;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import org.owasp.encoder.Encode;

/**
 * Human-readable HTML pages of a subject's consents and audit report, every value encoded with the
 * OWASP Java Encoder (values come from callers and may hold markup). Served with a CSP of {@code
 * default-src 'none'}, so the page runs no script and loads nothing. The audit entries stream a
 * page at a time, so memory stays bounded however long the subject's history.
 */
public final class HtmlReports {
  private HtmlReports() {}

  /**
   * Writes the page: the subject's consents and their history when {@code ledger} is not null, then
   * every audit entry about the subject up to a checkpoint signed now.
   */
  public static void write(
      Writer out,
      String title,
      AuditLog audit,
      ConsentLedger ledger,
      String tenant,
      String subject,
      Instant generatedAt)
      throws IOException {
    Checkpoint checkpoint = audit.checkpoint();
    out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
    out.write(Encode.forHtml(title));
    out.write("</title></head><body>\n<h1>");
    out.write(Encode.forHtml(title));
    out.write("</h1>\n<p>Subject: <code>");
    out.write(Encode.forHtml(subject));
    out.write("</code>. Generated ");
    out.write(Encode.forHtml(generatedAt.toString()));
    out.write(". Verified against checkpoint of size ");
    out.write(Long.toString(checkpoint.size()));
    out.write(", root <code>");
    out.write(Encode.forHtml(checkpoint.rootHex()));
    out.write("</code>.</p>\n");
    if (ledger != null) {
      out.write("<h2>Current consents</h2>\n");
      table(
          out,
          List.of("purpose", "state", "notice version", "changed", "expires"),
          ledger.subjectConsents(tenant, subject).entrySet().stream()
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
      headings(out, List.of("when", "purpose", "state", "notice", "method", "acting party"));
      ledger.forEachSubjectEvent(
          tenant,
          subject,
          e ->
              row(
                  out,
                  List.of(
                      text(e.receivedAt()),
                      e.purpose(),
                      e.state().name(),
                      e.noticeId() + " v" + e.noticeVersion(),
                      e.method().name(),
                      e.actingParty().name())));
      out.write("</table>\n");
    }
    out.write("<h2>Who accessed the data</h2>\n");
    headings(
        out,
        List.of(
            "seq", "when", "actor", "action", "purpose", "legal basis", "recipient", "outcome"));
    audit
        .reports()
        .forEach(
            AuditQuery.tenant(tenant).subject(subject),
            checkpoint,
            record -> row(out, row(record)));
    out.write("</table>\n</body></html>\n");
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
    headings(out, headings);
    for (List<String> row : rows) {
      row(out, row);
    }
    out.write("</table>\n");
  }

  private static void headings(Writer out, List<String> headings) throws IOException {
    out.write("<table>\n<tr>");
    for (String heading : headings) {
      out.write("<th>" + Encode.forHtml(heading) + "</th>");
    }
    out.write("</tr>\n");
  }

  private static void row(Writer out, List<String> cells) throws IOException {
    StringBuilder line = new StringBuilder("<tr>");
    for (String cell : cells) {
      line.append("<td>").append(Encode.forHtml(cell)).append("</td>");
    }
    out.write(line.append("</tr>\n").toString());
  }
}
