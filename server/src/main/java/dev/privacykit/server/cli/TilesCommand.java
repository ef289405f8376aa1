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
      Checkpoint checkpoint = Tiles.export(services.audit, directory);
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
}
