package dev.privacykit.server.cli;

import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.Setting;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command shares: the configuration file and the basics it may override. */
public final class ConfigOptions {
  @Option(
      names = "--config",
      description = "YAML configuration file (env PRIVACYKIT_CONFIG); environment variables win.")
  public Path config;

  @Option(names = "--data-dir", description = "Data directory (overrides data_dir).")
  public Path dataDirectory;

  @Option(names = "--database-url", description = "JDBC URL (overrides database.url).")
  public String databaseUrl;

  /** The configuration with these options applied over file and environment. */
  public ServerConfig load(Map<Setting, String> more) {
    Map<Setting, String> overrides = new EnumMap<>(Setting.class);
    if (dataDirectory != null) {
      overrides.put(Setting.DATA_DIR, dataDirectory.toString());
    }
    if (databaseUrl != null) {
      overrides.put(Setting.DATABASE_URL, databaseUrl);
    }
    overrides.putAll(more);
    Path file = config;
    String fromEnvironment = System.getenv("PRIVACYKIT_CONFIG");
    if (file == null && fromEnvironment != null && !fromEnvironment.isBlank()) {
      file = Path.of(fromEnvironment);
    }
    return ServerConfig.load(file, System.getenv(), overrides);
  }

  public ServerConfig load() {
    return load(Map.of());
  }
}
