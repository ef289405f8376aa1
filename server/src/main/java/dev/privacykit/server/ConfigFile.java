package dev.privacykit.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The YAML configuration file: nested mappings name settings by their dotted keys; an unknown key,
 * a duplicate key or the key passphrase in the file is refused with the key named.
 */
final class ConfigFile {
  private ConfigFile() {}

  /**
   * The settings in {@code file}, by their dotted keys; lists become comma-separated.
   *
   * @throws IllegalArgumentException naming the file and the key when it cannot be used
   */
  static Map<Setting, String> read(Path file) {
    Object document;
    try (InputStream in = Files.newInputStream(file)) {
      document =
          new Load(LoadSettings.builder().setAllowDuplicateKeys(false).build())
              .loadFromInputStream(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the configuration file " + file + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "the configuration file " + file + " is not valid YAML: " + firstLine(e.getMessage()));
    }
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    if (document == null) {
      return values;
    }
    if (!(document instanceof Map<?, ?> root)) {
      throw new IllegalArgumentException("the configuration file " + file + " must be a mapping");
    }
    flatten("", root, values, file);
    return values;
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<Setting, String> out, Path file) {
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = prefix + entry.getKey();
      Object value = entry.getValue();
      Setting setting =
          Arrays.stream(Setting.values()).filter(s -> s.key.equals(key)).findFirst().orElse(null);
      if (setting == Setting.KEY_PASSPHRASE || setting == Setting.HOST_DATA_SECRET) {
        throw new IllegalArgumentException(
            setting.label()
                + " belongs in the environment, never in "
                + file
                + " (a file is read by more people than need the key)");
      }
      if (setting == null && value instanceof Map<?, ?> nested) {
        flatten(key + ".", nested, out, file);
      } else if (setting == null) {
        throw new IllegalArgumentException(
            "unknown setting '" + key + "' in " + file + "; see the README's configuration table");
      } else if (value instanceof List<?> list) {
        out.put(setting, String.join(",", list.stream().map(String::valueOf).toList()));
      } else {
        out.put(setting, value == null ? "" : String.valueOf(value));
      }
    }
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
