package dev.privacykit.javalin;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks a raw query string before anything reads it: every name and value must be valid
 * percent-encoded UTF-8. The servlet layer drops a parameter it cannot decode, so {@code
 * ?subject=%zz} would otherwise read as no subject filter at all; here it is a 400 naming the
 * parameter.
 */
final class QueryStrings {
  private QueryStrings() {}

  /**
   * @throws ProblemException 400 with the pointer {@code ?name} for the first parameter that does
   *     not decode
   */
  static void requireDecodable(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return;
    }
    for (String pair : rawQuery.split("&", -1)) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String decodedName = decode(name);
      if (decodedName == null || (equals >= 0 && decode(pair.substring(equals + 1)) == null)) {
        throw ProblemException.invalid(
            "?" + (decodedName == null ? "" : decodedName), "is not valid percent-encoded UTF-8");
      }
    }
  }

  /** The decoded text, or null when the escapes or the UTF-8 are malformed. */
  private static String decode(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()) {
          return null;
        }
        int high = Character.digit(text.charAt(i + 1), 16);
        int low = Character.digit(text.charAt(i + 2), 16);
        if (high < 0 || low < 0 || text.charAt(i + 1) > 'f' || text.charAt(i + 2) > 'f') {
          return null;
        }
        bytes.write(high * 16 + low);
        i += 2;
      } else if (c == '+') {
        bytes.write(' ');
      } else if (c > 0x7e) {
        return null; // raw non-ASCII in a query is not how clients encode
      } else {
        bytes.write(c);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
