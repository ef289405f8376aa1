package dev.privacykit.consent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditQuery;
import dev.privacykit.audit.AuditRecord;
import dev.privacykit.audit.Checkpoint;
import dev.privacykit.audit.ExportFormat;
import dev.privacykit.audit.ExportText;
import dev.privacykit.policies.ConsentAnswer;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The access package of one request: consents, their history, guardianship (markings, guardians,
 * wards), the audit report, and what the host backend's contributors gave ({@code host_data}, with
 * {@code complete} false when one is missing). Written as it is read: the history and the audit
 * entries stream a page at a time, so memory stays bounded however long the subject's history.
 */
final class AccessPackage {
  private static final JsonFactory JSON = new JsonFactory();

  private AccessPackage() {}

  static void write(
      DataSubjectRequest request,
      ConsentLedger ledger,
      AuditLog audit,
      ExportFormat format,
      Writer out,
      Instant now,
      List<Contributions.Outcome> hostData)
      throws IOException {
    String tenant = request.tenant();
    String subject = request.subject();
    Map<String, ConsentAnswer> consents = ledger.subjectConsents(tenant, subject);
    Checkpoint checkpoint = audit.checkpoint();
    AuditQuery entries = AuditQuery.tenant(tenant).subject(subject);
    GuardianshipPackage guardianship = new GuardianshipPackage(ledger.guardians(), tenant, subject);
    if (format == ExportFormat.JSON) {
      writeJson(
          request, ledger, audit, consents, checkpoint, entries, out, now, hostData, guardianship);
      return;
    }
    out.write("section,at,purpose,state_or_action,actor,recipient,legal_basis,details\r\n");
    for (Map.Entry<String, ConsentAnswer> c : consents.entrySet()) {
      row(
          out,
          "consent",
          str(c.getValue().changedAt()),
          c.getKey(),
          c.getValue().state().name(),
          null,
          null,
          null,
          "notice version " + c.getValue().noticeVersion());
    }
    ledger.forEachSubjectEvent(
        tenant,
        subject,
        e ->
            row(
                out,
                "consent_history",
                e.evidence().collectedAt().toString(),
                e.purpose(),
                e.state().name(),
                e.actingParty().name(),
                null,
                e.lawfulBasis(),
                e.method().name()));
    guardianship.writeCsv(cells -> row(out, cells));
    audit
        .reports()
        .forEach(
            entries,
            checkpoint,
            r ->
                row(
                    out,
                    "access_log",
                    r.recordedAt().toString(),
                    r.entry().purpose(),
                    r.entry().action().name(),
                    r.entry().actor(),
                    r.entry().recipient(),
                    r.entry().legalBasis(),
                    r.entry().body()));
    for (Contributions.Outcome outcome : hostData) {
      if (outcome.missing()) {
        row(
            out,
            "host_data_missing",
            null,
            null,
            outcome.contributor(),
            null,
            null,
            null,
            outcome.reason());
        continue;
      }
      for (Contribution.Section section : outcome.contribution().sections()) {
        for (List<String> cells : section.rows()) {
          row(
              out,
              "host_data",
              null,
              null,
              outcome.contributor() + "/" + section.name(),
              null,
              null,
              null,
              Contributions.rowObject(section, cells));
        }
      }
    }
    out.flush();
  }

  private static void writeJson(
      DataSubjectRequest request,
      ConsentLedger ledger,
      AuditLog audit,
      Map<String, ConsentAnswer> consents,
      Checkpoint checkpoint,
      AuditQuery entries,
      Writer out,
      Instant now,
      List<Contributions.Outcome> hostData,
      GuardianshipPackage guardianship)
      throws IOException {
    try (JsonGenerator json =
        JSON.createGenerator(out)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .useDefaultPrettyPrinter()) {
      json.writeStartObject();
      json.writeObjectFieldStart("request");
      json.writeStringField("id", request.id());
      json.writeStringField("type", request.type().name());
      json.writeStringField("received_at", request.receivedAt().toString());
      json.writeStringField("generated_at", now.toString());
      json.writeEndObject();
      json.writeStringField("subject", request.subject());
      json.writeArrayFieldStart("consents");
      for (Map.Entry<String, ConsentAnswer> c : consents.entrySet()) {
        ConsentAnswer a = c.getValue();
        json.writeStartObject();
        json.writeStringField("purpose", c.getKey());
        json.writeStringField("state", a.state().name());
        json.writeNumberField("notice_version", a.noticeVersion());
        json.writeStringField("changed_at", str(a.changedAt()));
        json.writeStringField("expires_at", str(a.expiresAt()));
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("consent_history");
      ledger.forEachSubjectEvent(
          request.tenant(),
          request.subject(),
          e -> {
            json.writeStartObject();
            json.writeStringField("event_id", e.eventId());
            json.writeStringField("purpose", e.purpose());
            json.writeStringField("state", e.state().name());
            json.writeNumberField("notice_version", e.noticeVersion());
            json.writeStringField("method", e.method().name());
            json.writeStringField("acting_party", e.actingParty().name());
            json.writeStringField("guardian", e.provenance().guardian());
            json.writeStringField("collected_at", e.evidence().collectedAt().toString());
            json.writeStringField("channel", e.evidence().channel());
            json.writeEndObject();
          });
      json.writeEndArray();
      guardianship.writeJson(json);
      json.writeObjectFieldStart("access_log");
      json.writeObjectFieldStart("checkpoint");
      json.writeNumberField("size", checkpoint.size());
      json.writeStringField("root", checkpoint.rootHex());
      json.writeStringField("note", checkpoint.note());
      json.writeEndObject();
      json.writeArrayFieldStart("entries");
      audit.reports().forEach(entries, checkpoint, r -> entry(json, r));
      json.writeEndArray();
      json.writeEndObject();
      json.writeBooleanField("complete", Contributions.complete(hostData));
      Contributions.writeJson(json, hostData);
      json.writeEndObject();
    }
  }

  private static void entry(JsonGenerator json, AuditRecord r) throws IOException {
    json.writeStartObject();
    json.writeNumberField("seq", r.seq());
    json.writeStringField("at", r.recordedAt().toString());
    json.writeStringField("actor", r.entry().actor());
    json.writeStringField("action", r.entry().action().name());
    json.writeStringField("purpose", r.entry().purpose());
    json.writeStringField("legal_basis", r.entry().legalBasis());
    json.writeStringField("recipient", r.entry().recipient());
    json.writeStringField("outcome", r.entry().outcome().name());
    json.writeStringField("details", r.entry().body());
    json.writeEndObject();
  }

  private static void row(Writer out, String... cells) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      line.append(i == 0 ? "" : ",").append(ExportText.csv(cells[i]));
    }
    out.write(line.append("\r\n").toString());
  }

  private static String str(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
