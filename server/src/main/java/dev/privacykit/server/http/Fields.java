package dev.privacykit.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.privacykit.javalin.ProblemException;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads fields of a JSON object (or a request's query and path parameters), answering bad input
 * with a 400 problem whose {@code pointer} names the field, never echoing the value.
 */
final class Fields {
  private final JsonNode node;
  private final String pointer;

  Fields(JsonNode node, String pointer) {
    this.node = node;
    this.pointer = pointer;
  }

  /** Refuses fields other than these. */
  Fields only(String... allowed) {
    Set<String> known = Set.of(allowed);
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw ProblemException.invalid(
            pointer + "/" + name, "unknown field; allowed: " + String.join(", ", allowed));
      }
    }
    return this;
  }

  String text(String name, int max) {
    String value = optionalText(name, max);
    if (value == null) {
      throw missing(name);
    }
    return value;
  }

  String optionalText(String name, int max) {
    JsonNode value = given(name);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw ProblemException.invalid(pointer + "/" + name, "must be a string");
    }
    String text = value.textValue();
    if (text.isBlank() || text.length() > max) {
      throw ProblemException.invalid(pointer + "/" + name, "must be 1 to " + max + " characters");
    }
    return text;
  }

  int integer(String name, int min, int max) {
    Integer value = optionalInteger(name, min, max);
    if (value == null) {
      throw missing(name);
    }
    return value;
  }

  Integer optionalInteger(String name, int min, int max) {
    JsonNode value = given(name);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw ProblemException.invalid(pointer + "/" + name, "must be an integer");
    }
    int number = value.intValue();
    if (number < min || number > max) {
      throw ProblemException.invalid(pointer + "/" + name, "must be from " + min + " to " + max);
    }
    return number;
  }

  /** An optional whole number from {@code min} to {@code max}, or null when absent. */
  Long optionalLong(String name, long min, long max) {
    JsonNode value = given(name);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw ProblemException.invalid(pointer + "/" + name, "must be an integer");
    }
    long number = value.longValue();
    if (number < min || number > max) {
      throw ProblemException.invalid(pointer + "/" + name, "must be from " + min + " to " + max);
    }
    return number;
  }

  /**
   * An optional flag: absent means {@code defaultValue}; {@code null}, strings and numbers are 400,
   * because a flag that changes state must never be guessed from a value that is not a boolean.
   */
  boolean bool(String name, boolean defaultValue) {
    JsonNode value = node.get(name);
    return value == null ? defaultValue : strictBool(name, value);
  }

  /** A flag the caller must state: absent, {@code null} or not a boolean is 400. */
  boolean requiredBool(String name) {
    JsonNode value = node.get(name);
    if (value == null) {
      throw missing(name);
    }
    return strictBool(name, value);
  }

  private boolean strictBool(String name, JsonNode value) {
    if (!value.isBoolean()) {
      throw ProblemException.invalid(pointer + "/" + name, "must be true or false");
    }
    return value.booleanValue();
  }

  Instant optionalInstant(String name) {
    String text = optionalText(name, 64);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw ProblemException.invalid(
          pointer + "/" + name, "must be an RFC 3339 UTC time such as 2026-01-31T12:00:00Z");
    }
  }

  java.time.LocalDate optionalDate(String name) {
    String text = optionalText(name, 10);
    if (text == null) {
      return null;
    }
    try {
      return java.time.LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw ProblemException.invalid(pointer + "/" + name, "must be a date such as 2026-01-31");
    }
  }

  <E extends Enum<E>> E enumValue(String name, Class<E> type, E defaultValue) {
    String text = defaultValue == null ? text(name, 64) : optionalText(name, 64);
    if (text == null) {
      return defaultValue;
    }
    return parseEnum(pointer + "/" + name, text, type);
  }

  /** A non-empty array of strings, at most {@code max} of them. */
  List<String> texts(String name, int max, int maxLength) {
    List<String> out = new ArrayList<>();
    for (Fields item : items(name, max, false)) {
      if (!item.node.isTextual()
          || item.node.textValue().isBlank()
          || item.node.textValue().length() > maxLength) {
        throw ProblemException.invalid(
            item.pointer, "must be a string of 1 to " + maxLength + " characters");
      }
      out.add(item.node.textValue());
    }
    return out;
  }

  /** A non-empty array (of objects when {@code objects}), at most {@code max} items. */
  List<Fields> items(String name, int max, boolean objects) {
    JsonNode value = given(name);
    if (value == null) {
      throw missing(name);
    }
    if (!value.isArray() || value.isEmpty() || value.size() > max) {
      throw ProblemException.invalid(
          pointer + "/" + name, "must be an array of 1 to " + max + " items");
    }
    List<Fields> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      String itemPointer = pointer + "/" + name + "/" + i;
      if (objects && !item.isObject()) {
        throw ProblemException.invalid(itemPointer, "must be an object");
      }
      out.add(new Fields(item, itemPointer));
    }
    return out;
  }

  /** A nested object, or null when absent. */
  Fields optionalObject(String name) {
    JsonNode value = given(name);
    if (value == null) {
      return null;
    }
    if (!value.isObject()) {
      throw ProblemException.invalid(pointer + "/" + name, "must be an object");
    }
    return new Fields(value, pointer + "/" + name);
  }

  /** This object as JSON text, for a value handed on as it came (a JSON Web Key Set). */
  String json() {
    return node.toString();
  }

  /** Whether the field is there: an explicit {@code null} is there (and refused when read). */
  boolean has(String name) {
    return node.has(name);
  }

  /**
   * The field, or null when absent. An explicit {@code null} is not "absent": it is 400 naming the
   * field, so a client that means to leave a value out must leave the field out.
   */
  private JsonNode given(String name) {
    JsonNode value = node.get(name);
    if (value != null && value.isNull()) {
      throw ProblemException.invalid(pointer + "/" + name, "must not be null: leave it out");
    }
    return value;
  }

  String pointer() {
    return pointer;
  }

  private ProblemException missing(String name) {
    return ProblemException.invalid(pointer + "/" + name, "is required");
  }

  // ---- query and path parameters

  static String query(Context ctx, String name, int max) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    if (value.length() > max) {
      throw ProblemException.invalid("?" + name, "must be at most " + max + " characters");
    }
    return value;
  }

  static long queryLong(Context ctx, String name, long min, long max, long defaultValue) {
    String value = query(ctx, name, 20);
    if (value == null) {
      return defaultValue;
    }
    if (!value.matches("-?[0-9]{1,19}")) {
      // Long.parseLong takes any Unicode digits (١٢ is 12): only ASCII digits are integers here
      throw ProblemException.invalid("?" + name, "must be an integer");
    }
    try {
      long number = Long.parseLong(value);
      if (number < min || number > max) {
        throw ProblemException.invalid("?" + name, "must be from " + min + " to " + max);
      }
      return number;
    } catch (NumberFormatException e) {
      throw ProblemException.invalid("?" + name, "must be an integer");
    }
  }

  /** A boolean query parameter: exactly {@code true} or {@code false}; anything else is 400. */
  static boolean queryBoolean(Context ctx, String name, boolean defaultValue) {
    String value = query(ctx, name, 5);
    if (value == null) {
      return defaultValue;
    }
    if (!value.equals("true") && !value.equals("false")) {
      throw ProblemException.invalid("?" + name, "must be true or false");
    }
    return value.equals("true");
  }

  static Instant queryInstant(Context ctx, String name) {
    String value = query(ctx, name, 64);
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ProblemException.invalid("?" + name, "must be an RFC 3339 UTC time");
    }
  }

  static <E extends Enum<E>> E queryEnum(Context ctx, String name, Class<E> type, E defaultValue) {
    String value = query(ctx, name, 64);
    return value == null ? defaultValue : parseEnum("?" + name, value, type);
  }

  /** A path parameter, checked for length and characters (no control characters). */
  static String path(Context ctx, String name) {
    String value = ctx.pathParam(name);
    if (value.isBlank() || value.length() > 256 || value.chars().anyMatch(c -> c < 0x20)) {
      throw ProblemException.invalid("{" + name + "}", "must be 1 to 256 printable characters");
    }
    return value;
  }

  /**
   * An enum value exactly as documented: the constant's name in lower case ({@code read}) or as it
   * is ({@code GDPR}); no other case, no hyphen for an underscore, no spaces.
   */
  static <E extends Enum<E>> E parseEnum(String pointer, String text, Class<E> type) {
    List<String> names = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      String lower = constant.name().toLowerCase(Locale.ROOT);
      if (text.equals(lower) || text.equals(constant.name())) {
        return constant;
      }
      names.add(lower);
    }
    throw ProblemException.invalid(pointer, "must be one of " + String.join(", ", names));
  }
}
