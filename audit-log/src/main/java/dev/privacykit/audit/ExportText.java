package dev.privacykit.audit;

/**
 * The escaping the audit log's exports use: JSON string literals and CSV cells (with spreadsheet
 * formula neutralising). Public so that other PrivacyKit writers of the same formats (access
 * packages, webhook bodies, problem documents) escape exactly as the reports do. Stateless and
 * thread-safe.
 */
public final class ExportText {
  private ExportText() {}

  /** A JSON string literal, or {@code null}. */
  public static String json(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == '<' || c == '>' || c == '&') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /**
   * A CSV cell (RFC 4180): quoted when it holds a comma, quote or line break; a leading {@code = +
   * - @} or tab is prefixed with {@code '} so spreadsheets do not run it as a formula.
   */
  public static String csv(String value) {
    if (value == null) {
      return "";
    }
    String cell = value;
    if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0) {
      cell = "'" + cell;
    }
    if (cell.indexOf(',') >= 0
        || cell.indexOf('"') >= 0
        || cell.indexOf('\n') >= 0
        || cell.indexOf('\r') >= 0) {
      return '"' + cell.replace("\"", "\"\"") + '"';
    }
    return cell;
  }
}
