package dev.privacykit.consent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.privacykit.audit.ExportFormat;
import dev.privacykit.audit.ExportText;
import dev.privacykit.policies.ConsentState;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The export of a portability request (GDPR Art. 20(1)): only what the subject provided — their
 * consent choices and the identifiers they gave — plus what the host backend's contributors give
 * for portability; never PrivacyKit's own records about them (the audit log, evidence hashes,
 * computed expiries), which belong to the access package. JSON is one document; CSV is one row per
 * field ({@code source,section,record,field,value}), so sections of any shape fit one file.
 */
final class PortabilityExport {
  static final String FORMAT = "privacykit-portability/1";
  private static final JsonFactory JSON = new JsonFactory();

  /** The states a subject chooses; others (EXPIRED) are the ledger's own. */
  private static final Set<ConsentState> CHOSEN =
      Set.of(
          ConsentState.GIVEN, ConsentState.RENEWED, ConsentState.REFUSED, ConsentState.WITHDRAWN);

  private static final List<String> CHOICE_FIELDS =
      List.of(
          "purpose",
          "choice",
          "notice_id",
          "notice_version",
          "language",
          "method",
          "acting_party",
          "collected_at",
          "channel");

  private PortabilityExport() {}

  static void write(
      DataSubjectRequest request,
      ConsentLedger ledger,
      SubjectIdentifiers identifiers,
      List<Contributions.Outcome> hostData,
      ExportFormat format,
      Writer out,
      Instant now)
      throws IOException {
    Map<SubjectIdentifiers.Kind, String> given =
        identifiers == null ? Map.of() : identifiers.of(request.tenant(), request.subject());
    if (format == ExportFormat.JSON) {
      writeJson(request, ledger, given, hostData, out, now);
    } else {
      writeCsv(request, ledger, given, hostData, out, now);
    }
    out.flush();
  }

  private static List<String> choice(ConsentEvent e) {
    return java.util.Arrays.asList(
        e.purpose(),
        e.state().name(),
        e.noticeId(),
        e.noticeId() == null ? null : Integer.toString(e.noticeVersion()),
        e.language(),
        e.method().name(),
        e.actingParty().name(),
        e.evidence().collectedAt().toString(),
        e.evidence().channel());
  }

  private static void writeJson(
      DataSubjectRequest request,
      ConsentLedger ledger,
      Map<SubjectIdentifiers.Kind, String> given,
      List<Contributions.Outcome> hostData,
      Writer out,
      Instant now)
      throws IOException {
    try (JsonGenerator json =
        JSON.createGenerator(out)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .useDefaultPrettyPrinter()) {
      json.writeStartObject();
      json.writeStringField("format", FORMAT);
      json.writeObjectFieldStart("request");
      json.writeStringField("id", request.id());
      json.writeStringField("type", request.type().name());
      json.writeStringField("received_at", request.receivedAt().toString());
      json.writeStringField("generated_at", now.toString());
      json.writeEndObject();
      json.writeStringField("subject", request.subject());
      json.writeBooleanField("complete", Contributions.complete(hostData));
      json.writeObjectFieldStart("provided");
      json.writeArrayFieldStart("consent_choices");
      ledger.forEachSubjectEvent(
          request.tenant(),
          request.subject(),
          e -> {
            if (!CHOSEN.contains(e.state())) {
              return;
            }
            List<String> cells = choice(e);
            json.writeStartObject();
            for (int i = 0; i < cells.size(); i++) {
              json.writeStringField(CHOICE_FIELDS.get(i), cells.get(i));
            }
            json.writeEndObject();
          });
      json.writeEndArray();
      json.writeArrayFieldStart("identifiers");
      for (Map.Entry<SubjectIdentifiers.Kind, String> id : given.entrySet()) {
        json.writeStartObject();
        json.writeStringField("kind", id.getKey().name().toLowerCase(java.util.Locale.ROOT));
        json.writeStringField("value", id.getValue());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
      Contributions.writeJson(json, hostData);
      json.writeEndObject();
    }
  }

  private static void writeCsv(
      DataSubjectRequest request,
      ConsentLedger ledger,
      Map<SubjectIdentifiers.Kind, String> given,
      List<Contributions.Outcome> hostData,
      Writer out,
      Instant now)
      throws IOException {
    out.write("source,section,record,field,value\r\n");
    row(out, "privacykit", "export", 1, "format", FORMAT);
    row(out, "privacykit", "export", 1, "request_id", request.id());
    row(out, "privacykit", "export", 1, "generated_at", now.toString());
    row(out, "privacykit", "export", 1, "subject", request.subject());
    row(
        out,
        "privacykit",
        "export",
        1,
        "complete",
        Boolean.toString(Contributions.complete(hostData)));
    int[] record = {0};
    ledger.forEachSubjectEvent(
        request.tenant(),
        request.subject(),
        e -> {
          if (!CHOSEN.contains(e.state())) {
            return;
          }
          record[0]++;
          List<String> cells = choice(e);
          for (int i = 0; i < cells.size(); i++) {
            row(
                out,
                "privacykit",
                "consent_choices",
                record[0],
                CHOICE_FIELDS.get(i),
                cells.get(i));
          }
        });
    int n = 0;
    for (Map.Entry<SubjectIdentifiers.Kind, String> id : given.entrySet()) {
      n++;
      row(
          out,
          "privacykit",
          "identifiers",
          n,
          "kind",
          id.getKey().name().toLowerCase(java.util.Locale.ROOT));
      row(out, "privacykit", "identifiers", n, "value", id.getValue());
    }
    for (Contributions.Outcome outcome : hostData) {
      String source = "host:" + outcome.contributor();
      if (outcome.missing()) {
        row(out, source, "missing", 1, "reason", outcome.reason());
        continue;
      }
      for (Contribution.Section section : outcome.contribution().sections()) {
        for (int r = 0; r < section.rows().size(); r++) {
          List<String> cells = section.rows().get(r);
          for (int i = 0; i < cells.size(); i++) {
            row(out, source, section.name(), r + 1, section.columns().get(i), cells.get(i));
          }
        }
      }
    }
  }

  private static void row(
      Writer out, String source, String section, int record, String field, String value)
      throws IOException {
    out.write(
        ExportText.csv(source)
            + ","
            + ExportText.csv(section)
            + ","
            + record
            + ","
            + ExportText.csv(field)
            + ","
            + ExportText.csv(value)
            + "\r\n");
  }
}
