package dev.privacykit.policies;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a policy file (YAML) into a {@link PolicySet}, checking the whole file and reporting every
 * problem with its file, line and column. See {@code policies/README.md} for the format.
 *
 * <pre>{@code
 * PolicySet policy = PolicyLoader.load(Path.of("policy.yaml"));
 * }</pre>
 */
public final class PolicyLoader {
  private PolicyLoader() {}

  /**
   * Loads and checks a policy file.
   *
   * @throws PolicyLoadException listing every problem, each with file, line and column
   * @throws IOException if the file cannot be read
   */
  public static PolicySet load(Path file) throws IOException {
    return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * Checks and loads policy text; {@code name} names it in problems.
   *
   * @throws PolicyLoadException listing every problem
   */
  public static PolicySet parse(String name, String text) {
    return new PolicyReading(name).read(text);
  }
}
