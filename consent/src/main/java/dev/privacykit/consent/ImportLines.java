package dev.privacykit.consent;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an NDJSON import within its limits before anything is imported, so an import over a limit
 * stores nothing and one request cannot hold a thread for minutes.
 */
final class ImportLines {
  /** Lines one import may hold. */
  static final int MAX_LINES = 10_000;

  /** Characters one line may hold (a consent record is a few hundred). */
  static final int MAX_LINE_CHARS = 4_096;

  /** Characters one import may hold in all. */
  static final int MAX_TOTAL_CHARS = 8 * 1_048_576;

  /** Line errors listed by number; the rest are counted. */
  static final int MAX_ERRORS_LISTED = 100;

  private ImportLines() {}

  /**
   * Every line of {@code in}.
   *
   * @throws ConsentException {@code too-large} past the line count or total size, {@code
   *     invalid-field} for an over-long line
   */
  static List<String> read(Reader in) throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    long total = 0;
    char[] buffer = new char[8_192];
    for (int n; (n = in.read(buffer)) > 0; ) {
      total += n;
      if (total > MAX_TOTAL_CHARS) {
        throw new ConsentException(
            ConsentException.Kind.TOO_LARGE,
            "an import holds at most " + MAX_TOTAL_CHARS + " characters; split it");
      }
      for (int i = 0; i < n; i++) {
        char c = buffer[i];
        if (c == '\n') {
          add(lines, line);
        } else if (c != '\r') {
          if (line.length() == MAX_LINE_CHARS) {
            throw new ConsentException(
                ConsentException.Kind.INVALID_FIELD,
                "line " + (lines.size() + 1) + " is longer than " + MAX_LINE_CHARS + " characters");
          }
          line.append(c);
        }
      }
    }
    if (line.length() > 0) {
      add(lines, line);
    }
    return lines;
  }

  private static void add(List<String> lines, StringBuilder line) {
    if (lines.size() == MAX_LINES) {
      throw new ConsentException(
          ConsentException.Kind.TOO_LARGE,
          "an import holds at most " + MAX_LINES + " lines; split it");
    }
    lines.add(line.toString());
    line.setLength(0);
  }
}
