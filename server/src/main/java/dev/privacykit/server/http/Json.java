package dev.privacykit.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.privacykit.javalin.ProblemException;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** JSON in and out of the HTTP API: strict parsing (no duplicate keys), plain maps out. */
final class Json {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
  }

  private Json() {}

  /** The request body as an object, or a 400 saying why it is not one. */
  static Fields body(Context ctx) {
    return parse(Utf8.decode(ctx.bodyAsBytes()));
  }

  /** The request body as an object; an empty body reads as an empty object. */
  static Fields optionalBody(Context ctx) {
    String text = Utf8.decode(ctx.bodyAsBytes());
    return text.isBlank() ? new Fields(MAPPER.createObjectNode(), "") : parse(text);
  }

  private static Fields parse(String text) {
    if (text.isBlank()) {
      throw ProblemException.invalid("/", "the request needs a JSON object body");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      long column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
      String what =
          e.getOriginalMessage().startsWith("Duplicate field")
              ? "a field appears twice"
              : "malformed JSON";
      throw ProblemException.invalid(
          "/", "the body is not valid JSON: " + what + " at line " + line + ", column " + column);
    }
    if (node == null || !node.isObject()) {
      throw ProblemException.invalid("/", "the body must be a JSON object");
    }
    return new Fields(node, "");
  }

  /** Writes {@code value} (maps, lists, strings, numbers, booleans, instants) as JSON. */
  static void write(Context ctx, int status, Object value) {
    try {
      ctx.status(status)
          .contentType("application/json")
          .result(MAPPER.writeValueAsString(plain(value)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** A JSON object with fields in the order given; null values are kept as null. */
  static Map<String, Object> object(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  static <T> List<Object> list(Collection<T> items, Function<T, Object> render) {
    List<Object> out = new ArrayList<>(items.size());
    for (T item : items) {
      out.add(render.apply(item));
    }
    return out;
  }

  private static Object plain(Object value) {
    if (value instanceof Instant instant) {
      return instant.toString();
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
      return out;
    }
    if (value instanceof Collection<?> collection) {
      List<Object> out = new ArrayList<>();
      collection.forEach(v -> out.add(plain(v)));
      return out;
    }
    return value;
  }
}
