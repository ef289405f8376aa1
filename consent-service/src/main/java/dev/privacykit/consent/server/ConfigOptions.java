package dev.privacykit.consent.server;

import dev.privacykit.storage.Database;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command shares: the configuration file and the basics it may override. */
final class ConfigOptions {
  @Option(
      names = "--config",
      description = "YAML configuration file (env PRIVACYKIT_CONFIG); environment variables win.")
  Path config;

  @Option(names = "--data-dir", description = "Data directory (overrides data_dir).")
  Path dataDirectory;

  @Option(names = "--database-url", description = "JDBC URL (overrides database.url).")
  String databaseUrl;

  /** The configuration with these options applied over file and environment. */
  ServerConfig load(Map<Setting, String> more) {
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

  ServerConfig load() {
    return load(Map.of());
  }

  /** Opens and migrates the configured database and its services, for one command. */
  static <T> T withServices(ServerConfig config, ServicesFunction<T> work) throws Exception {
    try (Database database = config.openDatabase()) {
      database.migrate();
      try (Services services = Services.open(config, database)) {
        return work.apply(services);
      }
    }
  }

  @FunctionalInterface
  interface ServicesFunction<T> {
    T apply(Services services) throws Exception;
  }
}
