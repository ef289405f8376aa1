package dev.privacykit.examples.readme;

import dev.privacykit.storage.Database;
import java.nio.file.Path;

/** storage/README.md's snippet, compiled and run by ReadmeSnippetsTest. */
public final class StorageReadme {
  private StorageReadme() {}

  /** Runs the snippet with its data directory under {@code dir}; returns readiness on reopening. */
  public static boolean run(Path dir) {
    boolean ready;
    // readme:begin
    try (Database db =
        Database.embedded(dir.resolve("privacykit-data"))) { // or Database.open(jdbcUrl)
      db.migrate(); // every module's migrations on the classpath, in module order
      ready = db.isReady(); // true: answers and migrated
    }
    // readme:end
    return ready;
  }
}
