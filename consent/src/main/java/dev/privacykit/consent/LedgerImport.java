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

  /** Lines are read as strictly as request bodies: no duplicate field, nothing after the object. */
  private static final com.fasterxml.jackson.databind.ObjectMapper STRICT =
      new com.fasterxml.jackson.databind.ObjectMapper()
          .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
        com.fasterxml.jackson.databind.JsonNode node = STRICT.readTree(line);
        if (node == null || !node.isObject()) {
          throw new ConsentException(ConsentException.Kind.INVALID_FIELD, "expected a JSON object");
        }
        if (onlyTenant != null) {
          if (!node.has("tenant")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("tenant", onlyTenant);
          } else if (!onlyTenant.equals(required(node, "tenant"))) {
            throw new ConsentException(
                ConsentException.Kind.INVALID_FIELD, "tenant is not the caller's tenant");
          }
        }
        ConsentState state = ConsentState.valueOf(required(node, "state"));
        if (state == ConsentState.EXPIRED) {
          throw new ConsentException(
              ConsentException.Kind.INVALID_FIELD, "state EXPIRED is derived, not imported");
        }
        String language = optional(node, "language");
        int version = optionalVersion(node);
        Evidence evidence =
            new Evidence(
                Instant.parse(required(node, "collected_at")),
                node.has("channel") ? required(node, "channel") : "import",
                null,
                null,
                null);
        ActingParty party =
            node.has("acting_party")
                ? ActingParty.valueOf(required(node, "acting_party"))
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
                required(node, "idempotency_key"),
                // A line's notice_hash is kept once it matches the policy (NoticeChecks); a
                // guardian's line names the verified guardian who acted (GuardianChecks).
                new Provenance(
                    optional(node, "notice_hash"),
                    node.has("guardian") ? required(node, "guardian") : null,
                    null,
                    null,
                    null));
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
                      ? (e instanceof com.fasterxml.jackson.core.JsonProcessingException json
                              && String.valueOf(json.getOriginalMessage())
                                  .startsWith("Duplicate field")
                          ? "not valid JSON (a field appears twice)"
                          : "not valid JSON")
                      : "a value has the wrong form"));
        }
      }
    }
    if (errorCount > errors.size()) {
      errors.add("... and " + (errorCount - errors.size()) + " more line(s) with errors");
    }
    return new ImportResult(imported, duplicates, List.copyOf(errors));
  }

  /** A field that must be a non-blank string: absent, null, a number or a list are refused. */
  private static String required(com.fasterxml.jackson.databind.JsonNode node, String field) {
    com.fasterxml.jackson.databind.JsonNode value = node.get(field);
    if (value == null) {
      throw new ConsentException(ConsentException.Kind.INVALID_FIELD, "missing '" + field + "'");
    }
    if (!value.isTextual() || value.textValue().isBlank()) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD, "'" + field + "' must be a non-empty string");
    }
    return value.textValue();
  }

  /** A string field that may be left out (but not null, nor another type). */
  private static String optional(com.fasterxml.jackson.databind.JsonNode node, String field) {
    return node.has(field) ? required(node, field) : null;
  }

  /** {@code notice_version}: absent is 0 (refusals and withdrawals); else an integer from 0. */
  private static int optionalVersion(com.fasterxml.jackson.databind.JsonNode node) {
    com.fasterxml.jackson.databind.JsonNode value = node.get("notice_version");
    if (value == null) {
      return 0;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD, "'notice_version' must be an integer from 0");
    }
    return value.intValue();
  }
}
