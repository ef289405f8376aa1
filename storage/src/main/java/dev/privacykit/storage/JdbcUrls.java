package dev.privacykit.storage;

import java.util.regex.Pattern;

/** Makes JDBC URLs safe to print: credentials and query parameters are removed. */
final class JdbcUrls {
  private static final Pattern USER_INFO = Pattern.compile("//[^/@]*@");

  private JdbcUrls() {}

  /**
   * Returns the URL without a password, user or any other parameter, for logs and messages. {@code
   * jdbc:postgresql://u:p@db:5432/app?password=x} becomes {@code jdbc:postgresql://db:5432/app}; H2
   * settings after ';' are dropped too.
   */
  static String redact(String jdbcUrl) {
    if (jdbcUrl == null) {
      return "(none)";
    }
    String url = USER_INFO.matcher(jdbcUrl.trim()).replaceFirst("//");
    int cut = url.length();
    for (char c : new char[] {'?', ';', '&'}) {
      int at = url.indexOf(c);
      if (at >= 0) {
        cut = Math.min(cut, at);
      }
    }
    return url.substring(0, cut);
  }
}
