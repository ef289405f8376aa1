package dev.privacykit.audit.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.Outcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An entry as a Kafka record value: a JSON object of its fields and a format version {@code v}.
 * Bodies never travel (see {@link KafkaAuditIngest}). Thread-safe.
 */
final class EntryJson {
  static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private EntryJson() {}

  static byte[] encode(AuditEntry e) {
    ObjectNode o = JSON.createObjectNode();
    o.put("v", VERSION);
    o.put("tenant", e.tenant());
    o.put("actor", e.actor());
    o.put("actorRole", e.actorRole());
    o.put("subject", e.subject());
    o.put("action", e.action().name());
    o.put("purpose", e.purpose());
    o.put("legalBasis", e.legalBasis());
    ArrayNode categories = o.putArray("categories");
    e.categories().forEach(categories::add);
    o.put("recipient", e.recipient());
    o.put("requestId", e.requestId());
    o.put("outcome", e.outcome().name());
    o.put("submittedBy", e.submittedBy());
    try {
      return JSON.writeValueAsBytes(o);
    } catch (IOException ex) {
      throw new IllegalStateException("an audit entry could not be encoded", ex);
    }
  }

  /**
   * The entry a record value holds.
   *
   * @throws IllegalArgumentException if it is not an entry of this format (the message names no
   *     field value: a record may hold anything)
   */
  static AuditEntry decode(byte[] value) {
    if (value == null) {
      throw new IllegalArgumentException("the record has no value");
    }
    JsonNode o;
    try {
      o = JSON.readTree(value);
    } catch (IOException ex) {
      throw new IllegalArgumentException("the record is not JSON");
    }
    if (o == null || !o.isObject() || o.path("v").asInt(-1) != VERSION) {
      throw new IllegalArgumentException("the record is not an audit entry of version " + VERSION);
    }
    if (o.hasNonNull("body")) {
      throw new IllegalArgumentException("the record carries a body, which Kafka must not hold");
    }
    List<String> categories = new ArrayList<>();
    o.path("categories").forEach(c -> categories.add(c.asText()));
    return new AuditEntry(
        text(o, "tenant"),
        text(o, "actor"),
        text(o, "actorRole"),
        text(o, "subject"),
        Action.valueOf(required(o, "action")),
        text(o, "purpose"),
        text(o, "legalBasis"),
        categories,
        text(o, "recipient"),
        text(o, "requestId"),
        Outcome.valueOf(required(o, "outcome")),
        text(o, "submittedBy"),
        null);
  }

  private static String text(JsonNode o, String field) {
    JsonNode value = o.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("the record's " + field + " is not a string");
    }
    return value.asText();
  }

  private static String required(JsonNode o, String field) {
    String value = text(o, field);
    if (value == null) {
      throw new IllegalArgumentException("the record has no " + field);
    }
    return value;
  }
}
