package dev.privacykit.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The served OpenAPI document as a test oracle: its operations, and a validator of JSON responses
 * against its schemas (the subset of JSON Schema the document uses: $ref, type, properties,
 * required, items, enum, additionalProperties).
 */
final class OpenApiContract {
  private final Map<String, Object> document;

  @SuppressWarnings("unchecked")
  OpenApiContract(String yaml) {
    this.document =
        (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
  }

  /** Every operation as {@code METHOD /path}. */
  @SuppressWarnings("unchecked")
  Set<String> operations() {
    Set<String> out = new TreeSet<>();
    Map<String, Object> paths = (Map<String, Object>) document.get("paths");
    paths.forEach(
        (path, item) ->
            ((Map<String, Object>) item)
                .keySet()
                .forEach(
                    key -> {
                      if (Set.of("get", "post", "put", "patch", "delete").contains(key)) {
                        out.add(key.toUpperCase(Locale.ROOT) + " " + path);
                      }
                    }));
    return out;
  }

  /**
   * Checks a JSON response body against the schema the document gives for this operation and status
   * (or its default response); returns the problems found, empty when it conforms.
   */
  @SuppressWarnings("unchecked")
  List<String> validate(String method, String path, int status, String contentType, JsonNode body) {
    Map<String, Object> paths = (Map<String, Object>) document.get("paths");
    Map<String, Object> item = (Map<String, Object>) paths.get(path);
    if (item == null) {
      return List.of("no path " + path + " in the document");
    }
    Map<String, Object> operation = (Map<String, Object>) item.get(method.toLowerCase(Locale.ROOT));
    if (operation == null) {
      return List.of("no " + method + " " + path + " in the document");
    }
    Map<String, Object> responses = (Map<String, Object>) operation.get("responses");
    Object response = responses.get(Integer.toString(status));
    if (response == null) {
      response = responses.get("default");
    }
    if (response == null) {
      return List.of("status " + status + " is not documented for " + method + " " + path);
    }
    Map<String, Object> resolved = resolve((Map<String, Object>) response);
    Map<String, Object> content = (Map<String, Object>) resolved.get("content");
    String type = contentType.split(";")[0].strip();
    Map<String, Object> media = content == null ? null : (Map<String, Object>) content.get(type);
    if (media == null) {
      return List.of(
          "content type " + type + " is not documented for " + method + " " + path + " " + status);
    }
    List<String> problems = new ArrayList<>();
    check((Map<String, Object>) media.get("schema"), body, "$", problems);
    return problems;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> resolve(Map<String, Object> node) {
    Object ref = node.get("$ref");
    if (ref == null) {
      return node;
    }
    Object target = document;
    for (String part : ((String) ref).substring(2).split("/")) {
      target = ((Map<String, Object>) target).get(part);
    }
    return resolve((Map<String, Object>) target);
  }

  @SuppressWarnings("unchecked")
  private void check(Map<String, Object> schema, JsonNode value, String at, List<String> problems) {
    if (schema == null) {
      return;
    }
    schema = resolve(schema);
    Object type = schema.get("type");
    if (type != null) {
      List<String> types =
          type instanceof List<?> list ? (List<String>) list : List.of((String) type);
      if (types.stream().noneMatch(t -> is(t, value))) {
        problems.add(at + ": expected " + types + " but was " + value.getNodeType());
        return;
      }
    }
    if (value.isNull()) {
      return;
    }
    List<Object> allowed = (List<Object>) schema.get("enum");
    if (allowed != null
        && allowed.stream().noneMatch(a -> String.valueOf(a).equals(value.asText()))) {
      problems.add(at + ": " + value.asText() + " is not one of " + allowed);
    }
    if (value.isObject()) {
      for (String name : (List<String>) schema.getOrDefault("required", List.of())) {
        if (!value.has(name)) {
          problems.add(at + ": required field " + name + " is missing");
        }
      }
      Map<String, Object> properties =
          (Map<String, Object>) schema.getOrDefault("properties", Map.of());
      Object additional = schema.get("additionalProperties");
      value
          .fields()
          .forEachRemaining(
              field -> {
                Object property = properties.get(field.getKey());
                if (property != null) {
                  check(
                      (Map<String, Object>) property,
                      field.getValue(),
                      at + "." + field.getKey(),
                      problems);
                } else if (Boolean.FALSE.equals(additional)) {
                  problems.add(at + ": field " + field.getKey() + " is not in the schema");
                } else if (additional instanceof Map<?, ?> additionalSchema) {
                  check(
                      (Map<String, Object>) additionalSchema,
                      field.getValue(),
                      at + "." + field.getKey(),
                      problems);
                }
              });
    }
    if (value.isArray() && schema.get("items") != null) {
      for (int i = 0; i < value.size(); i++) {
        check(
            (Map<String, Object>) schema.get("items"), value.get(i), at + "[" + i + "]", problems);
      }
    }
  }

  private static boolean is(String type, JsonNode value) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "null" -> value.isNull();
      default -> false;
    };
  }
}
