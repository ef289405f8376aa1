package dev.privacykit.policies;

/**
 * One mistake in a policy file, where it is.
 *
 * @param file the file's name as given to the loader
 * @param line 1-based line
 * @param column 1-based column
 * @param message what is wrong, and what would be right
 */
public record PolicyProblem(String file, int line, int column, String message) {
  /** {@code file:line:column: message}, as compilers print it. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + message;
  }
}
