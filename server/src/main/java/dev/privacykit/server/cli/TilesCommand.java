package dev.privacykit.server.cli;

import dev.privacykit.audit.Checkpoint;
import dev.privacykit.audit.Tiles;
import dev.privacykit.server.Services;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code privacykit audit tiles DIR [--follow SECONDS]}: the log's Merkle tree as static C2SP
 * tlog-tiles files and its checkpoint (with cosignatures), for any static web server; with {@code
 * --follow}, again every so many seconds, writing only what is new.
 */
@Command(
    name = "tiles",
    mixinStandardHelpOptions = true,
    description = "Write the log as static tiles (C2SP tlog-tiles) and its checkpoint into DIR.")
final class TilesCommand extends ServicesCommand {
  @Parameters(index = "0", description = "Directory to write.")
  Path directory;

  @Option(
      names = "--follow",
      description = "Export again every this many seconds (1 to 86400) until stopped.")
  Integer followSeconds;

  @Override
  int run(Services services) throws Exception {
    if (followSeconds != null && (followSeconds < 1 || followSeconds > 86_400)) {
      throw new IllegalArgumentException("--follow must be 1 to 86400 seconds");
    }
    PrintWriter out = out();
    while (true) {
      Checkpoint checkpoint = export(services);
      out.println(
          "tiles of "
              + checkpoint.size()
              + " entries (root "
              + checkpoint.rootHex()
              + ") in "
              + directory);
      out.flush();
      if (followSeconds == null) {
        return 0;
      }
      Thread.sleep(followSeconds * 1000L);
    }
  }

  /**
   * Exports the one tree into the directory; or, sharded, each shard into {@code shard/<id>} and
   * the top-level log (after it records every shard's current tree) into {@code top}, returning the
   * top-level checkpoint.
   */
  private Checkpoint export(Services services) throws java.io.IOException {
    var shards = services.audits.shards();
    if (shards.isEmpty()) {
      return Tiles.export(services.audit, directory);
    }
    shards.get().recordNow();
    for (int id : shards.get().ids()) {
      Tiles.export(
          shards.get().shard(id), directory.resolve("shard").resolve(Integer.toString(id)));
    }
    return Tiles.export(shards.get().top(), directory.resolve("top"));
  }
}
