package dev.privacykit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.storage.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log as static tiles (C2SP tlog-tiles): their root is the checkpoint's, every inclusion path
 * read from files equals the database's proof, a second export keeps the full tiles and adds the
 * new ones, tiles hold no entry fields, and an independent reader in another language (Node.js)
 * checks the checkpoint signature and recomputes the root from the files alone.
 */
class TilesTest {
  @TempDir Path dir;

  @Test
  void exportedTilesProveWhatTheDatabaseProves_andAnotherImplementationAgrees() throws Exception {
    // a key whose base64 holds a '+', the verifier key's own separator: readers must split at the
    // first two only
    CheckpointSigner signer = CheckpointSigner.generate("test.privacykit.dev/audit");
    while (!signer.verifierKey().split("\\+", 3)[2].contains("+")) {
      signer = CheckpointSigner.generate("test.privacykit.dev/audit");
    }
    CheckpointSigner plus = signer;
    try (Database db = WitnessTest.migrated("tiles");
        AuditLog log = Logs.open(db, c -> c.maxBatch(2_000).signer(plus))) {
      int first = 66_000; // past 256^2: tiles on three levels, partial ones on each
      java.util.List<java.util.concurrent.CompletableFuture<Long>> pending =
          new java.util.ArrayList<>();
      for (int i = 0; i < first; i++) {
        pending.add(log.append(Logs.read("subj_tile_" + (i % 500))));
        if (pending.size() == 5_000) {
          pending.forEach(java.util.concurrent.CompletableFuture::join);
          pending.clear();
        }
      }
      pending.forEach(java.util.concurrent.CompletableFuture::join);
      log.checkpoint();
      Checkpoint checkpoint = Tiles.export(log, dir);
      assertThat(checkpoint.size()).isEqualTo(first);
      Tiles tiles = Tiles.in(dir);
      assertThat(tiles.root(checkpoint.size())).isEqualTo(checkpoint.root());
      assertThat(Files.exists(dir.resolve("tile/2/000.p/1"))).isTrue();
      assertThat(Files.exists(dir.resolve("tile/1/000"))).isTrue();
      assertThat(Files.size(dir.resolve("tile/0/256"))).isEqualTo(256 * 32);

      Random random = new Random(7);
      for (int i = 0; i < 25; i++) {
        long seq = random.nextInt(first);
        InclusionProof proof = log.inclusionProof(seq, checkpoint.size());
        java.util.List<byte[]> fromTiles = tiles.inclusionPath(seq, checkpoint.size());
        assertThat(fromTiles).hasSameSizeAs(proof.path());
        for (int k = 0; k < fromTiles.size(); k++) {
          assertThat(fromTiles.get(k)).isEqualTo(proof.path().get(k));
        }
        assertThat(tiles.leaf(seq, checkpoint.size()))
            .isEqualTo(log.read(seq).orElseThrow().leafHash());
      }

      // follow the log: full tiles stay as they were, the new ones appear
      Path kept = dir.resolve("tile/0/000");
      java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(kept);
      WitnessTest.append(log, 700);
      Checkpoint later = log.checkpoint();
      Thread.sleep(20);
      Tiles.export(log, dir);
      assertThat(Files.getLastModifiedTime(kept)).isEqualTo(before);
      assertThat(Tiles.in(dir).root(later.size())).isEqualTo(later.root());

      // entry bundles: the fields that name no one, each leaf hash the level-0 tile's
      byte[] bundle = Files.readAllBytes(dir.resolve("tile/privacykit-entries/000"));
      int length = ((bundle[0] & 0xff) << 8) | (bundle[1] & 0xff);
      String firstEntry = new String(bundle, 2, length, StandardCharsets.UTF_8);
      assertThat(firstEntry)
          .startsWith("{\"seq\":0,\"recorded_at\":")
          .contains("\"action\":\"read\"")
          .contains(java.util.HexFormat.of().formatHex(tiles.leaf(0, later.size())));
      assertThat(Files.exists(dir.resolve("tile/privacykit-entries/260.p/140"))).isTrue();
      // nothing that names anyone is in a tile or a bundle: only salted hashes and bare facts
      try (var files = Files.walk(dir.resolve("tile"))) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
              .doesNotContain("subj_tile_")
              .doesNotContain("acme");
        }
      }

      ProcessBuilder node;
      try {
        node =
            new ProcessBuilder(
                    "node",
                    Path.of(TilesTest.class.getResource("tiles-verify.mjs").toURI()).toString(),
                    dir.toString(),
                    log.verifierKey())
                .redirectErrorStream(true);
        Process probe = new ProcessBuilder("node", "--version").start();
        Assumptions.assumeTrue(
            probe.waitFor() == 0, "Node.js is needed for the interoperability check");
      } catch (java.io.IOException e) {
        Assumptions.abort("Node.js is needed for the interoperability check");
        return;
      }
      Process run = node.start();
      String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(run.waitFor()).as(out).isZero();
      assertThat(out).startsWith("ok " + later.size() + " " + later.rootHex());

      // a tile the root depends on changed on the web server: the independent reader refuses it
      // (66,700 leaves: 260 full tiles at level 0, then this partial one of 140)
      Path leafTile = dir.resolve("tile/0/260.p/140");
      byte[] bytes = Files.readAllBytes(leafTile);
      bytes[5] ^= 1;
      Files.write(leafTile, bytes);
      Process tampered = node.start();
      String said = new String(tampered.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(tampered.waitFor()).as(said).isNotZero();
      assertThat(Tiles.in(dir).root(later.size())).isNotEqualTo(later.root());
    }
  }
}
