package dev.privacykit.consent;

import dev.privacykit.consent.ConsentLedger.ImportResult;
import dev.privacykit.policies.ConsentState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an NDJSON consent import for {@link ConsentLedger#importNdjson}: each line becomes a change
 * recorded through the ledger (so every rule of a change applies), a bad line is reported by number
 * and skipped, and the input's limits are checked first ({@link ImportLines}).
 */
final class LedgerImport {
  static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** One line's change and the state it records. */
  record Line(ConsentChange change, ConsentState state) {}

  /** Records a line's change; true when it was new, false for a replay. */
  interface Recorder {
    boolean record(Line line);
  }

  private final Recorder recorder;

  LedgerImport(Recorder recorder) {
    this.recorder = recorder;
  }

  ImportResult read(String onlyTenant, java.io.Reader in) throws java.io.IOException {
    List<String> lines = ImportLines.read(in);
    int imported = 0;
    int duplicates = 0;
    List<String> errors = new ArrayList<>();
    int errorCount = 0;
    int number = 0;
    for (String line : lines) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      try {
        com.fasterxml.jackson.databind.JsonNode node = JSON.readTree(line);
        if (node == null || !node.isObject()) {
          throw new ConsentException(ConsentException.Kind.INVALID_FIELD, "expected a JSON object");
        }
        if (onlyTenant != null) {
          if (!node.hasNonNull("tenant")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("tenant", onlyTenant);
          } else if (!onlyTenant.equals(node.get("tenant").asText())) {
            throw new ConsentException(
                ConsentException.Kind.INVALID_FIELD, "tenant is not the caller's tenant");
          }
        }
        ConsentState state = ConsentState.valueOf(required(node, "state"));
        if (state == ConsentState.EXPIRED) {
          throw new ConsentException(
              ConsentException.Kind.INVALID_FIELD, "state EXPIRED is derived, not imported");
        }
        String language = node.hasNonNull("language") ? node.get("language").asText() : null;
        int version = node.hasNonNull("notice_version") ? node.get("notice_version").asInt() : 0;
        Evidence evidence =
            new Evidence(
                Instant.parse(required(node, "collected_at")),
                node.hasNonNull("channel") ? node.get("channel").asText() : "import",
                null,
                null,
                null);
        ActingParty party =
            node.hasNonNull("acting_party")
                ? ActingParty.valueOf(node.get("acting_party").asText())
                : ActingParty.SELF;
        ConsentChange change =
            new ConsentChange(
                required(node, "tenant"),
                required(node, "subject"),
                required(node, "purpose"),
                version,
                language,
                ConsentMethod.IMPORT,
                evidence,
                party,
                required(node, "idempotency_key"));
        if (recorder.record(new Line(change, state))) {
          imported++;
        } else {
          duplicates++;
        }
      } catch (ConsentException e) {
        errorCount++;
        if (errors.size() < ImportLines.MAX_ERRORS_LISTED) {
          errors.add("line " + number + ": " + e.getMessage());
        }
      } catch (IllegalArgumentException
          | java.time.format.DateTimeParseException
          | com.fasterxml.jackson.core.JsonProcessingException e) {
        errorCount++;
        if (errors.size() < ImportLines.MAX_ERRORS_LISTED) {
          errors.add(
              "line "
                  + number
                  + ": "
                  + (e instanceof com.fasterxml.jackson.core.JsonProcessingException
                      ? "not valid JSON"
                      : "a value has the wrong form"));
        }
      }
    }
    if (errorCount > errors.size()) {
      errors.add("... and " + (errorCount - errors.size()) + " more line(s) with errors");
    }
    return new ImportResult(imported, duplicates, List.copyOf(errors));
  }

  private static String required(com.fasterxml.jackson.databind.JsonNode node, String field) {
    if (!node.hasNonNull(field)
        || !node.get(field).isValueNode()
        || node.get(field).asText().isBlank()) {
      throw new ConsentException(ConsentException.Kind.INVALID_FIELD, "missing '" + field + "'");
    }
    return node.get(field).asText();
  }
}
