package dev.privacykit.consent;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.privacykit.audit.ExportText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks every registered {@link SubjectDataContributor} for a subject's data and writes what came
 * back into a package. A contributor that throws or returns nothing is recorded as missing with a
 * safe reason: the package says so ({@code "complete": false}) instead of leaving it out.
 */
final class Contributions {
  /**
   * What one contributor gave.
   *
   * @param contributor its name
   * @param contribution what it gave, or null when missing
   * @param reason why it is missing, or null
   */
  record Outcome(String contributor, Contribution contribution, String reason) {
    boolean missing() {
      return contribution == null;
    }
  }

  private Contributions() {}

  /** Asks each contributor in turn; never throws for a contributor's failure. */
  static List<Outcome> gather(
      List<SubjectDataContributor> contributors, String tenant, String subject, RequestType type) {
    List<Outcome> out = new ArrayList<>();
    for (SubjectDataContributor contributor : contributors) {
      if (!contributor.appliesTo(tenant)) {
        continue;
      }
      String name = contributor.name();
      try {
        Contribution contribution = contributor.contribute(tenant, subject, type);
        out.add(
            contribution == null
                ? new Outcome(name, null, "failed")
                : new Outcome(name, contribution, null));
      } catch (SubjectDataContributor.Unavailable e) {
        out.add(new Outcome(name, null, e.reason()));
      } catch (RuntimeException e) {
        // the message may hold anything, personal data included: only the fact goes on
        out.add(new Outcome(name, null, "failed"));
      }
    }
    return out;
  }

  /** Whether every contributor gave its part. */
  static boolean complete(List<Outcome> outcomes) {
    return outcomes.stream().noneMatch(Outcome::missing);
  }

  /** The {@code host_data} array: one object per contributor, included or missing. */
  static void writeJson(JsonGenerator json, List<Outcome> outcomes) throws IOException {
    json.writeArrayFieldStart("host_data");
    for (Outcome outcome : outcomes) {
      json.writeStartObject();
      json.writeStringField("contributor", outcome.contributor());
      json.writeStringField("status", outcome.missing() ? "missing" : "included");
      if (outcome.missing()) {
        json.writeStringField("reason", outcome.reason());
      } else {
        json.writeArrayFieldStart("sections");
        for (Contribution.Section section : outcome.contribution().sections()) {
          json.writeStartObject();
          json.writeStringField("name", section.name());
          json.writeArrayFieldStart("rows");
          for (List<String> row : section.rows()) {
            json.writeStartObject();
            for (int i = 0; i < row.size(); i++) {
              json.writeStringField(section.columns().get(i), row.get(i));
            }
            json.writeEndObject();
          }
          json.writeEndArray();
          json.writeEndObject();
        }
        json.writeEndArray();
      }
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /** A row as a compact JSON object, for a CSV cell. */
  static String rowObject(Contribution.Section section, List<String> row) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < row.size(); i++) {
      out.append(i == 0 ? "" : ",")
          .append(ExportText.json(section.columns().get(i)))
          .append(':')
          .append(ExportText.json(row.get(i)));
    }
    return out.append('}').toString();
  }
}
