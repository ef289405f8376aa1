package dev.privacykit.javalin;

import java.util.Locale;

/** Content-Type matching that a prefix test would get wrong. Stateless. */
public final class MediaTypes {
  private MediaTypes() {}

  /**
   * The media type of a Content-Type value, matched exactly: {@code type/subtype} in lower case,
   * with no parameter but {@code charset=utf-8}; null for anything else ({@code application/jsonp},
   * {@code application/json-seq}, other charsets, stray parameters).
   */
  public static String exact(String contentType) {
    if (contentType == null) {
      return null;
    }
    String[] parts = contentType.split(";", -1);
    String type = parts[0].strip().toLowerCase(Locale.ROOT);
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].strip().toLowerCase(Locale.ROOT).replace("\"", "");
      if (!parameter.equals("charset=utf-8")) {
        return null;
      }
    }
    return type;
  }
}
