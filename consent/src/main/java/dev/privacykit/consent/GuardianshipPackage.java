package dev.privacykit.consent;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The guardianship part of an access package: whether the subject was marked a child or a person
 * with a lawful guardian (with the evidence), her guardians, and the wards she is a guardian of.
 */
final class GuardianshipPackage {
  private final List<WardMarking> markings;
  private final List<GuardianLink> guardians;
  private final List<GuardianLink> wards;

  GuardianshipPackage(GuardianStore store, String tenant, String subject) {
    this.markings = store.markings(tenant, subject);
    this.guardians = store.linksOfWard(tenant, subject);
    this.wards = store.linksOfGuardian(tenant, subject);
  }

  /**
   * CSV rows: {@code section, at, purpose, state_or_action, actor, recipient, legal_basis,
   * details}.
   */
  interface Row {
    void write(String... cells) throws IOException;
  }

  void writeCsv(Row row) throws IOException {
    for (WardMarking m : markings) {
      row.write(
          "ward_marking",
          m.markedAt().toString(),
          null,
          m.kind().name(),
          m.markedBy(),
          null,
          null,
          "source "
              + m.source().name()
              + (m.until() == null ? "" : "; until " + m.until())
              + (m.clearedAt() == null ? "" : "; cleared " + m.clearedAt()));
    }
    for (GuardianLink l : guardians) {
      row.write(
          "guardian",
          str(l.recordedAt()),
          null,
          l.relation().name(),
          l.guardian(),
          null,
          null,
          details(l));
    }
    for (GuardianLink l : wards) {
      row.write(
          "ward", str(l.recordedAt()), null, l.relation().name(), l.ward(), null, null, details(l));
    }
  }

  void writeJson(JsonGenerator json) throws IOException {
    json.writeObjectFieldStart("guardianship");
    json.writeArrayFieldStart("markings");
    for (WardMarking m : markings) {
      json.writeStartObject();
      json.writeStringField("kind", m.kind().name());
      json.writeStringField("source", m.source().name());
      json.writeStringField("marked_at", m.markedAt().toString());
      json.writeStringField("until", m.until() == null ? null : m.until().toString());
      json.writeStringField("cleared_at", str(m.clearedAt()));
      json.writeEndObject();
    }
    json.writeEndArray();
    links(json, "guardians", guardians);
    links(json, "wards", wards);
    json.writeEndObject();
  }

  private static void links(JsonGenerator json, String name, List<GuardianLink> links)
      throws IOException {
    json.writeArrayFieldStart(name);
    for (GuardianLink l : links) {
      json.writeStartObject();
      json.writeStringField("ward", l.ward());
      json.writeStringField("guardian", l.guardian());
      json.writeStringField("relation", l.relation().name());
      json.writeStringField("verified_by_means", l.verification().method().name());
      json.writeStringField("verified_at", l.verification().verifiedAt().toString());
      json.writeStringField("recorded_at", l.recordedAt().toString());
      json.writeStringField("revoked_at", str(l.revokedAt()));
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  private static String details(GuardianLink l) {
    return "verified by "
        + l.verification().method().name()
        + (l.isActive() ? "" : "; revoked " + l.revokedAt());
  }

  private static String str(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
