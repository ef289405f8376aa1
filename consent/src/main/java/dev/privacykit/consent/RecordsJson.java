package dev.privacykit.consent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.Checkpoint;
import dev.privacykit.audit.ProcessingSummary;
import dev.privacykit.policies.Controller;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** Writes a {@link ProcessingRecord} as the JSON document the HTTP API documents. */
final class RecordsJson {
  private static final JsonFactory JSON = new JsonFactory();

  private RecordsJson() {}

  static void write(ProcessingRecord record, AuditLog audit, Writer out) throws IOException {
    try (JsonGenerator json =
        JSON.createGenerator(out)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .useDefaultPrettyPrinter()) {
      json.writeStartObject();
      json.writeStringField("tenant", record.tenant());
      json.writeObjectFieldStart("policy");
      json.writeStringField("name", record.policyName());
      json.writeStringField("regime", record.regime().name());
      json.writeEndObject();
      json.writeStringField("generated_at", record.generatedAt().toString());
      controller(json, record.controller());
      json.writeArrayFieldStart("activities");
      for (ProcessingRecord.Activity a : record.activities()) {
        activity(json, a);
      }
      json.writeEndArray();
      json.writeArrayFieldStart("recipients");
      for (ProcessingRecord.Disclosure d : record.recipients()) {
        disclosure(json, d);
      }
      json.writeEndArray();
      json.writeArrayFieldStart("transfers");
      for (ProcessingRecord.Disclosure d : record.transfers()) {
        json.writeStartObject();
        json.writeStringField("recipient", d.id());
        json.writeStringField("country", d.country());
        json.writeStringField("safeguard", d.safeguard());
        json.writeStringField("safeguard_citation", d.safeguardCitation());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("security_measures");
      for (ProcessingRecord.Measure m : record.measures()) {
        json.writeStartObject();
        json.writeStringField("measure", m.measure());
        json.writeStringField("source", m.source());
        json.writeEndObject();
      }
      json.writeEndArray();
      processing(json, record.processing(), audit);
      json.writeEndObject();
    }
    out.flush();
  }

  private static void controller(JsonGenerator json, Controller c) throws IOException {
    if (c == null) {
      json.writeNullField("controller");
      return;
    }
    json.writeObjectFieldStart("controller");
    json.writeStringField("name", c.name());
    json.writeStringField("contact", c.contact());
    json.writeStringField("dpo", c.dpo());
    json.writeStringField("representative", c.representative());
    json.writeEndObject();
  }

  private static void activity(JsonGenerator json, ProcessingRecord.Activity a) throws IOException {
    json.writeStartObject();
    json.writeStringField("purpose", a.purpose());
    json.writeStringField("title", a.title());
    json.writeStringField("description", a.description());
    json.writeStringField("lawful_basis", a.lawfulBasis());
    json.writeStringField("lawful_basis_citation", a.lawfulBasisCitation());
    json.writeStringField("art9_condition", a.art9Condition());
    strings(json, "data_subjects", a.dataSubjects());
    json.writeArrayFieldStart("categories");
    for (ProcessingRecord.Category c : a.categories()) {
      json.writeStartObject();
      json.writeStringField("id", c.id());
      json.writeStringField("title", c.title());
      json.writeStringField("special", c.special());
      json.writeEndObject();
    }
    json.writeEndArray();
    strings(json, "recipients", a.recipients());
    json.writeArrayFieldStart("retention");
    for (ProcessingRecord.Retention r : a.retention()) {
      json.writeStartObject();
      json.writeStringField("category", r.category());
      json.writeStringField("period", r.period());
      json.writeStringField("then", r.then());
      json.writeStringField("rule", r.rule());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void disclosure(JsonGenerator json, ProcessingRecord.Disclosure d)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("id", d.id());
    json.writeStringField("name", d.name());
    json.writeStringField("role", d.role());
    json.writeStringField("country", d.country());
    json.writeBooleanField("third_country", d.thirdCountry());
    json.writeStringField("safeguard", d.safeguard());
    json.writeStringField("safeguard_citation", d.safeguardCitation());
    strings(json, "purposes", d.purposes());
    json.writeEndObject();
  }

  private static void processing(JsonGenerator json, ProcessingSummary seen, AuditLog audit)
      throws IOException {
    json.writeObjectFieldStart("processing");
    json.writeStringField("from", seen.from().toString());
    json.writeStringField("to", seen.to().toString());
    Checkpoint checkpoint = seen.checkpoint();
    json.writeObjectFieldStart("checkpoint");
    json.writeStringField("origin", checkpoint.origin());
    json.writeNumberField("size", checkpoint.size());
    json.writeStringField("root", checkpoint.rootHex());
    json.writeStringField("note", checkpoint.note());
    json.writeStringField("verifier_key", audit.verifierKey());
    json.writeStringField(
        "signed_at",
        audit.checkpointSignedAt(checkpoint.size()).orElseGet(java.time.Instant::now).toString());
    strings(json, "cosignatures", audit.publication().cosignatures(checkpoint.size()));
    json.writeEndObject();
    json.writeArrayFieldStart("rows");
    for (ProcessingSummary.Row row : seen.rows()) {
      json.writeStartObject();
      json.writeStringField("purpose", row.purpose());
      json.writeStringField("category", row.category());
      json.writeStringField("recipient", row.recipient());
      json.writeNumberField("entries", row.entries());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void strings(JsonGenerator json, String field, List<String> values)
      throws IOException {
    json.writeArrayFieldStart(field);
    for (String value : values) {
      json.writeString(value);
    }
    json.writeEndArray();
  }
}
