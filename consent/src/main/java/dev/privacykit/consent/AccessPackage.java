package dev.privacykit.consent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditRecord;
import dev.privacykit.audit.ExportFormat;
import dev.privacykit.audit.ExportText;
import dev.privacykit.audit.SubjectAccessReport;
import dev.privacykit.policies.ConsentAnswer;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.Map;

/** The access package of one request: consents, their history, and the audit report. */
final class AccessPackage {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AccessPackage() {}

  static void write(
      DataSubjectRequest request,
      ConsentLedger ledger,
      AuditLog audit,
      ExportFormat format,
      Writer out,
      Instant now)
      throws IOException {
    Map<String, ConsentAnswer> consents =
        ledger.subjectConsents(request.tenant(), request.subject());
    var history = ledger.subjectHistory(request.tenant(), request.subject());
    SubjectAccessReport report = audit.reports().subjectAccess(request.tenant(), request.subject());
    if (format == ExportFormat.JSON) {
      ObjectNode root = JSON.createObjectNode();
      root.putObject("request")
          .put("id", request.id())
          .put("type", request.type().name())
          .put("received_at", request.receivedAt().toString())
          .put("generated_at", now.toString());
      root.put("subject", request.subject());
      ArrayNode current = root.putArray("consents");
      consents.forEach(
          (purpose, a) ->
              current
                  .addObject()
                  .put("purpose", purpose)
                  .put("state", a.state().name())
                  .put("notice_version", a.noticeVersion())
                  .put("changed_at", str(a.changedAt()))
                  .put("expires_at", str(a.expiresAt())));
      ArrayNode events = root.putArray("consent_history");
      for (ConsentEvent e : history) {
        events
            .addObject()
            .put("event_id", e.eventId())
            .put("purpose", e.purpose())
            .put("state", e.state().name())
            .put("notice_version", e.noticeVersion())
            .put("method", e.method().name())
            .put("collected_at", e.evidence().collectedAt().toString())
            .put("channel", e.evidence().channel());
      }
      ObjectNode auditNode = root.putObject("access_log");
      auditNode
          .putObject("checkpoint")
          .put("size", report.checkpoint().size())
          .put("root", report.checkpoint().rootHex())
          .put("note", report.checkpoint().note());
      ArrayNode entries = auditNode.putArray("entries");
      for (AuditRecord r : report.entries()) {
        entries
            .addObject()
            .put("seq", r.seq())
            .put("at", r.recordedAt().toString())
            .put("actor", r.entry().actor())
            .put("action", r.entry().action().name())
            .put("purpose", r.entry().purpose())
            .put("legal_basis", r.entry().legalBasis())
            .put("recipient", r.entry().recipient())
            .put("outcome", r.entry().outcome().name())
            .put("details", r.entry().body());
      }
      JSON.writerWithDefaultPrettyPrinter().writeValue(out, root);
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
    for (ConsentEvent e : history) {
      row(
          out,
          "consent_history",
          e.evidence().collectedAt().toString(),
          e.purpose(),
          e.state().name(),
          e.actingParty().name(),
          null,
          e.lawfulBasis(),
          e.method().name());
    }
    for (AuditRecord r : report.entries()) {
      row(
          out,
          "access_log",
          r.recordedAt().toString(),
          r.entry().purpose(),
          r.entry().action().name(),
          r.entry().actor(),
          r.entry().recipient(),
          r.entry().legalBasis(),
          r.entry().body());
    }
    out.flush();
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
