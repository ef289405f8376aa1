package dev.privacykit.server;

import dev.privacykit.audit.Checkpoint;
import dev.privacykit.audit.ProcessingSummary;
import dev.privacykit.consent.ProcessingRecord;
import dev.privacykit.policies.Controller;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.owasp.encoder.Encode;

/**
 * The record of processing activities as one HTML page, every value encoded with the OWASP Java
 * Encoder (policy text is written by people and may hold markup). Served with a CSP of {@code
 * default-src 'none'}: the page runs no script and loads nothing. Stateless and thread-safe.
 */
public final class RecordsHtml {
  private RecordsHtml() {}

  /** Writes the page for {@code record}; {@code verifierKey} is the audit log's. */
  public static void write(Writer out, ProcessingRecord record, String verifierKey)
      throws IOException {
    String title = "Record of processing activities";
    out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
    out.write(Encode.forHtml(title + ": " + record.policyName()));
    out.write("</title></head><body>\n<h1>");
    out.write(Encode.forHtml(title));
    out.write("</h1>\n<p>Policy <strong>");
    out.write(Encode.forHtml(record.policyName()));
    out.write("</strong> (" + Encode.forHtml(record.regime().name()) + "), tenant <code>");
    out.write(Encode.forHtml(record.tenant()));
    out.write("</code>. Generated " + Encode.forHtml(record.generatedAt().toString()) + ".</p>\n");

    out.write("<h2>Controller (Art. 30(1)(a))</h2>\n");
    Controller c = record.controller();
    if (c == null) {
      out.write("<p>The policy names no controller (add <code>controller:</code>).</p>\n");
    } else {
      table(
          out,
          List.of("name", "contact", "data protection officer", "representative"),
          List.of(List.of(c.name(), c.contact(), text(c.dpo()), text(c.representative()))));
    }

    out.write("<h2>Processing activities (Art. 30(1)(b), (c), (f))</h2>\n");
    List<List<String>> activities = new ArrayList<>();
    for (ProcessingRecord.Activity a : record.activities()) {
      activities.add(
          List.of(
              a.purpose() + (a.title() == null ? "" : " — " + a.title()),
              text(a.description()),
              a.lawfulBasisCitation()
                  + (a.art9Condition() == null ? "" : "; Art. 9(2): " + a.art9Condition()),
              String.join(", ", a.dataSubjects()),
              String.join(
                  ", ",
                  a.categories().stream()
                      .map(
                          k ->
                              k.id()
                                  + (k.special() == null ? "" : " (special: " + k.special() + ")"))
                      .toList()),
              String.join(", ", a.recipients()),
              String.join(
                  "; ",
                  a.retention().stream()
                      .map(
                          r ->
                              r.category()
                                  + ": "
                                  + (r.period() == null
                                      ? "not stated"
                                      : r.period() + ", then " + r.then() + " (" + r.rule() + ")"))
                      .toList())));
    }
    table(
        out,
        List.of(
            "purpose",
            "description",
            "lawful basis",
            "data subjects",
            "personal data",
            "recipients",
            "time limits for erasure"),
        activities);

    out.write("<h2>Recipients (Art. 30(1)(d)) and transfers (Art. 30(1)(e))</h2>\n");
    List<List<String>> recipients = new ArrayList<>();
    for (ProcessingRecord.Disclosure d : record.recipients()) {
      recipients.add(
          List.of(
              d.id(),
              text(d.name()),
              text(d.role()),
              d.country() == null ? "not stated" : d.country(),
              d.thirdCountry() ? "yes" : "no",
              d.safeguard() == null
                  ? (d.thirdCountry() ? "none stated" : "")
                  : d.safeguard() + " (" + d.safeguardCitation() + ")",
              String.join(", ", d.purposes())));
    }
    table(
        out,
        List.of("id", "name", "role", "country", "third country", "safeguard", "purposes"),
        recipients);

    out.write("<h2>Security measures (Art. 30(1)(g))</h2>\n<ul>\n");
    for (ProcessingRecord.Measure m : record.measures()) {
      out.write(
          "<li>"
              + Encode.forHtml(m.measure())
              + (m.source().equals("privacykit") ? " <em>(enforced by PrivacyKit)</em>" : "")
              + "</li>\n");
    }
    out.write("</ul>\n");

    ProcessingSummary seen = record.processing();
    Checkpoint checkpoint = seen.checkpoint();
    out.write("<h2>Processing seen in the audit log</h2>\n<p>From ");
    out.write(
        Encode.forHtml(seen.from().toString()) + " to " + Encode.forHtml(seen.to().toString()));
    out.write(", verified against checkpoint of size " + checkpoint.size() + ", root <code>");
    out.write(Encode.forHtml(checkpoint.rootHex()) + "</code> (verifier key <code>");
    out.write(Encode.forHtml(verifierKey) + "</code>).</p>\n<pre>");
    out.write(Encode.forHtml(checkpoint.note()));
    out.write("</pre>\n");
    table(
        out,
        List.of("purpose", "category", "recipient", "entries"),
        seen.rows().stream()
            .map(
                r ->
                    List.of(
                        text(r.purpose()),
                        text(r.category()),
                        text(r.recipient()),
                        Long.toString(r.entries())))
            .toList());
    out.write("</body></html>\n");
    out.flush();
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }

  private static void table(Writer out, List<String> headings, List<List<String>> rows)
      throws IOException {
    StringBuilder html = new StringBuilder("<table>\n<tr>");
    for (String heading : headings) {
      html.append("<th>").append(Encode.forHtml(heading)).append("</th>");
    }
    html.append("</tr>\n");
    for (List<String> row : rows) {
      html.append("<tr>");
      for (String cell : row) {
        html.append("<td>").append(Encode.forHtml(cell)).append("</td>");
      }
      html.append("</tr>\n");
    }
    out.write(html.append("</table>\n").toString());
  }
}
