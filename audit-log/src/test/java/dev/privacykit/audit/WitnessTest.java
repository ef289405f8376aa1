package dev.privacykit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.storage.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The witness as a log (or an attacker) talks to it: the C2SP tlog-witness answers for every case
 * of add-checkpoint, cosignatures that verify with its published key, state that survives a
 * restart, and refusals of a log going backwards or forking, recorded.
 */
class WitnessTest {
  @TempDir Path dir;

  private static String request(long old, List<byte[]> proof, Checkpoint checkpoint) {
    StringBuilder body = new StringBuilder("old ").append(old).append('\n');
    proof.forEach(h -> body.append(Base64.getEncoder().encodeToString(h)).append('\n'));
    return body.append('\n').append(checkpoint.note()).toString();
  }

  @Test
  void cosignerKeys_roundTrip_andRefuseOtherKinds() {
    Cosigner cosigner = Cosigner.generate("witness.test/w1");
    CosignerKey key = CosignerKey.parse(cosigner.verifierKey());
    assertThat(key).isEqualTo(cosigner.key());
    String body = "origin\n5\n" + Base64.getEncoder().encodeToString(new byte[32]) + "\n";
    String line = cosigner.cosign(body, 1_700_000_000L);
    assertThat(key.verify(body, line)).isEqualTo(OptionalLong.of(1_700_000_000L));
    assertThat(key.verify(body.replace("5", "6"), line)).isEmpty();
    assertThat(
            CosignerKey.parse(Cosigner.generate("witness.test/w2").verifierKey())
                .verify(body, line))
        .isEmpty();
    // a checkpoint signer's key (type 0x01) is not a cosigner key
    assertThatThrownBy(() -> CosignerKey.parse(Logs.SIGNER.verifierKey()))
        .isInstanceOf(IllegalArgumentException.class);
    String tampered = cosigner.verifierKey().replaceFirst("\\+[0-9a-f]{8}\\+", "+00000000+");
    assertThatThrownBy(() -> CosignerKey.parse(tampered))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void addCheckpoint_followsTheProtocol_andKeepsItsStateAcrossRestarts() throws Exception {
    try (Database db = migrated("witness_protocol");
        AuditLog log = Logs.open(db)) {
      Cosigner cosigner = Cosigner.load(dir.resolve("cosigner.key"), "witness.test/w1");
      Map<String, String> logs = Map.of("test.privacykit.dev/audit", log.verifierKey());
      Witness witness = Witness.open(dir, cosigner, logs);
      append(log, 5);
      Checkpoint five = log.checkpoint();

      Witness.Answer first = witness.addCheckpoint(request(0, List.of(), five));
      assertThat(first.status()).isEqualTo(200);
      assertThat(cosigner.key().verify(Witness.bodyOf(five.note()), first.body())).isPresent();

      append(log, 7);
      Checkpoint twelve = log.checkpoint();
      List<byte[]> proof = log.consistencyProof(5, 12).path();
      // a stale old size: 409 with the size the witness holds
      Witness.Answer stale = witness.addCheckpoint(request(0, List.of(), twelve));
      assertThat(stale.status()).isEqualTo(409);
      assertThat(stale.contentType()).isEqualTo("text/x.tlog.size");
      assertThat(stale.body()).isEqualTo("5\n");
      // a proof that does not lead from 5 to 12: 422
      List<byte[]> broken = new java.util.ArrayList<>(proof);
      broken.set(0, new byte[32]);
      assertThat(witness.addCheckpoint(request(5, broken, twelve)).status()).isEqualTo(422);
      assertThat(witness.addCheckpoint(request(5, proof, twelve)).status()).isEqualTo(200);

      // restart: the witness still holds 12
      Witness again =
          Witness.open(dir, Cosigner.load(dir.resolve("cosigner.key"), "witness.test/w1"), logs);
      assertThat(again.latest("test.privacykit.dev/audit").orElseThrow().size()).isEqualTo(12);
      assertThat(again.verifierKey()).isEqualTo(cosigner.verifierKey());
      // going back to 5 is refused and recorded
      Witness.Answer back = again.addCheckpoint(request(12, List.of(), five));
      assertThat(back.status()).isEqualTo(400);
      assertThat(again.addCheckpoint(request(0, List.of(), five)).status()).isEqualTo(409);
      assertThat(Files.readString(dir.resolve("refused.log"))).contains("size=5", "goes back");

      // same size, another root: a fork, 409, recorded
      try (Database other = migrated("witness_fork");
          AuditLog forked = Logs.open(other)) {
        appendOther(forked, 12);
        Checkpoint fork = forked.checkpoint();
        assertThat(again.addCheckpoint(request(12, List.of(), fork)).status()).isEqualTo(409);
        assertThat(Files.readString(dir.resolve("refused.log"))).contains("fork");
      }
      // unknown origin 404, a note signed by another key 403, malformed 400
      CheckpointSigner stranger = CheckpointSigner.generate("test.privacykit.dev/audit");
      String forged =
          stranger.signNote(Checkpoint.body("test.privacykit.dev/audit", 13, new byte[32]));
      assertThat(again.addCheckpoint("old 12\n\n" + forged).status()).isEqualTo(403);
      String elsewhere = stranger.signNote(Checkpoint.body("other.example/log", 1, new byte[32]));
      assertThat(again.addCheckpoint("old 0\n\n" + elsewhere).status()).isEqualTo(404);
      assertThat(again.addCheckpoint("old -1\n\n" + forged).status()).isEqualTo(400);
      assertThat(again.addCheckpoint("old 12\n" + forged).status()).isEqualTo(400);
      assertThat(again.latest("test.privacykit.dev/audit").orElseThrow().size()).isEqualTo(12);
    }
  }

  static Database migrated(String name) {
    Database db = Database.open(Database.inMemoryUrl(name + "_" + System.nanoTime()));
    db.migrate();
    return db;
  }

  static void append(AuditLog log, int n) {
    for (int i = 0; i < n; i++) {
      log.append(Logs.read("subj_w_" + i)).join();
    }
  }

  static void appendOther(AuditLog log, int n) {
    for (int i = 0; i < n; i++) {
      log.append(Logs.read("subj_other_" + i)).join();
    }
  }
}
