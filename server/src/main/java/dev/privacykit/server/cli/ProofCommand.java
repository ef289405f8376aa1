package dev.privacykit.server.cli;

import dev.privacykit.audit.Checkpoint;
import dev.privacykit.audit.InclusionProof;
import dev.privacykit.audit.Tiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code privacykit audit proof --tiles DIR --key KEY --seq N [--leaf HEX]}: checks, with no
 * database, that entry N (and its leaf hash, as the API gave it) is in the log whose checkpoint the
 * tiles carry, signed by the key the user trusts; exit 0 when proved, 1 when not.
 */
@Command(
    name = "proof",
    mixinStandardHelpOptions = true,
    description = "Prove an entry against static tiles and a trusted key, offline; exit 1 if not.")
final class ProofCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--tiles", required = true, description = "Directory (or mirror) of the tiles.")
  Path tiles;

  @Option(names = "--key", required = true, description = "The log's verifier key you trust.")
  String key;

  @Option(names = "--seq", required = true, description = "The entry's seq.")
  long seq;

  @Option(names = "--leaf", description = "The entry's leaf hash (hex), as the API gave it.")
  String leaf;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    Checkpoint checkpoint;
    try {
      checkpoint =
          Checkpoint.verify(
              Files.readString(tiles.resolve("checkpoint"), StandardCharsets.UTF_8), key);
    } catch (RuntimeException e) {
      out.println("not proved: the checkpoint is not signed by that key");
      return AuditCommand.EXIT_BROKEN;
    }
    if (seq < 0 || seq >= checkpoint.size()) {
      out.println(
          "not proved: seq " + seq + " is not below the checkpoint's size " + checkpoint.size());
      return AuditCommand.EXIT_BROKEN;
    }
    Tiles files = Tiles.in(tiles);
    byte[] leafHash = files.leaf(seq, checkpoint.size());
    if (leaf != null && !Arrays.equals(HexFormat.of().parseHex(leaf), leafHash)) {
      out.println("not proved: the tiles hold another leaf at seq " + seq);
      return AuditCommand.EXIT_BROKEN;
    }
    InclusionProof proof =
        new InclusionProof(
            seq, checkpoint.size(), leafHash, files.inclusionPath(seq, checkpoint.size()));
    if (!proof.verify(checkpoint)) {
      out.println("not proved: the tiles do not lead to the checkpoint's root");
      return AuditCommand.EXIT_BROKEN;
    }
    out.println(
        "proved: entry "
            + seq
            + " is in the log of "
            + checkpoint.size()
            + " entries, root "
            + checkpoint.rootHex());
    return 0;
  }
}
