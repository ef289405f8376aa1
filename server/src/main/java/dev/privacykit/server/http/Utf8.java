package dev.privacykit.server.http;

import dev.privacykit.javalin.ProblemException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Request bodies as strict UTF-8: malformed sequences, overlong forms and encoded surrogates are a
 * 400, never silently replaced by U+FFFD (which would store something other than what was sent).
 */
final class Utf8 {
  private Utf8() {}

  /** The body's text. */
  static String decode(byte[] bytes) {
    try {
      return decoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw invalid();
    }
  }

  /**
   * A reader that fails with a {@link CharacterCodingException} at the first bad sequence; map it
   * with {@link #invalid()}.
   */
  static Reader reader(InputStream in) {
    return new InputStreamReader(in, decoder());
  }

  /** The 400 for a body that is not UTF-8. */
  static ProblemException invalid() {
    return ProblemException.invalid("/", "the body is not valid UTF-8");
  }

  private static CharsetDecoder decoder() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }
}
