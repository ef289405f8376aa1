package dev.privacykit.audit;

import static dev.privacykit.audit.WitnessTest.append;
import static dev.privacykit.audit.WitnessTest.appendOther;
import static dev.privacykit.audit.WitnessTest.migrated;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.privacykit.storage.Database;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log publishes to witnesses over real HTTP and compares itself with what they cosigned: a
 * quorum of two with one witness down publishes nothing new, a quorum of one does; a database
 * holding less than the witnesses cosigned (its tail cut back, or emptied, each consistent in
 * itself) is a ROLLBACK, one that rewrote history a FORK; a pinned key the database's signer does
 * not match is a SIGNATURE failure.
 */
class WitnessPublicationTest {
  private static final String ORIGIN = "test.privacykit.dev/audit";
  @TempDir Path dir;

  /** A witness behind the JDK's HTTP server, as a third party would run it. */
  record Running(HttpServer server, Witness witness, Cosigner cosigner) implements AutoCloseable {
    static Running start(Path dir, String name) throws Exception {
      Cosigner cosigner = Cosigner.load(dir.resolve(name + ".key"), "witness.test/" + name);
      Witness witness =
          Witness.open(dir.resolve(name), cosigner, Map.of(ORIGIN, Logs.SIGNER.verifierKey()));
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/add-checkpoint",
          exchange -> {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Witness.Answer answer = witness.addCheckpoint(body);
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
          });
      server.start();
      return new Running(server, witness, cosigner);
    }

    WitnessEndpoint endpoint() {
      return new WitnessEndpoint(
          URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), cosigner.key());
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
      Thread.sleep(25);
    }
    assertThat(condition.getAsBoolean()).as("within 10 s").isTrue();
  }

  private static long published(AuditLog log) {
    return log.publication().published().map(p -> p.size()).orElse(-1L);
  }

  @Test
  void aQuorumCounts_andAWitnessDownIsRetried() throws Exception {
    try (Running w1 = Running.start(dir, "w1");
        Running w2 = Running.start(dir, "w2");
        Database db = migrated("publication")) {
      List<WitnessEndpoint> both = List.of(w1.endpoint(), w2.endpoint());
      long size;
      try (AuditLog log =
          Logs.open(db, c -> c.witnesses(both, 2).publishInterval(Duration.ofMillis(50)))) {
        append(log, 20);
        size = log.checkpoint().size();
        await(() -> published(log) == size);
        assertThat(log.publication().cosignatures(size)).hasSize(2);
        String body = Witness.bodyOf(log.checkpointAt(size).orElseThrow().note());
        assertThat(log.publication().cosignatures(size))
            .anyMatch(line -> w1.cosigner().key().verify(body, line).isPresent())
            .anyMatch(line -> w2.cosigner().key().verify(body, line).isPresent());

        w2.close();
        append(log, 5);
        long grown = log.checkpoint().size();
        await(() -> log.publication().cosignatures(grown).size() == 1);
        Thread.sleep(300);
        assertThat(published(log)).as("2 of 2 with one down").isEqualTo(size);
        assertThat(log.publication().failures()).isPositive();
        assertThat(log.publication().witnesses())
            .anyMatch(
                w -> w.name().equals("witness.test/w2") && "unreachable".equals(w.lastError()));
        assertThat(log.verify().ok()).isTrue();
      }
      try (AuditLog log = Logs.open(db, c -> c.witnesses(both, 1))) {
        assertThat(published(log)).as("1 of 2").isEqualTo(log.size());
      }
    }
  }

  @Test
  void aDatabaseBehindOrBesideWhatWasCosigned_isARollbackOrAFork() throws Exception {
    try (Running w1 = Running.start(dir, "w1")) {
      List<WitnessEndpoint> one = List.of(w1.endpoint());
      try (Database db = migrated("published");
          AuditLog log = Logs.open(db, c -> c.witnesses(one, 1))) {
        append(log, 25);
        assertThat(log.verify().ok()).isTrue();
        assertThat(w1.witness().latest(ORIGIN).orElseThrow().size()).isEqualTo(25);
      }
      // the same log cut back to 10 entries, consistent in itself
      try (Database db = migrated("cut_back");
          AuditLog log = Logs.open(db, c -> c.witnesses(one, 1))) {
        append(log, 10);
        Verification.Failure failure = log.verify().failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(Verification.Kind.ROLLBACK);
        assertThat(failure.stored()).contains("cosigned size 25");
        assertThat(failure.calculated()).contains("database head size 10");
        assertThat(log.lastVerification().orElseThrow().failure())
            .contains(Verification.Kind.ROLLBACK);
      }
      // emptied
      try (Database db = migrated("emptied");
          AuditLog log = Logs.open(db, c -> c.witnesses(one, 1))) {
        assertThat(log.verify().failure().orElseThrow().kind())
            .isEqualTo(Verification.Kind.ROLLBACK);
      }
      // rewritten: 30 other entries (the witness's 25 are not a prefix), then 25 other entries
      try (Database db = migrated("forked");
          AuditLog log = Logs.open(db, c -> c.witnesses(one, 1))) {
        appendOther(log, 30);
        assertThat(log.verify().failure().orElseThrow().kind()).isEqualTo(Verification.Kind.FORK);
      }
      try (Database db = migrated("forked_same_size");
          AuditLog log = Logs.open(db, c -> c.witnesses(one, 1))) {
        appendOther(log, 25);
        assertThat(log.verify().failure().orElseThrow().kind()).isEqualTo(Verification.Kind.FORK);
      }
      assertThat(w1.witness().latest(ORIGIN).orElseThrow().size()).isEqualTo(25);
    }
  }

  @Test
  void twoProcessesOnOneDatabase_publishTogether_withoutAFalseRollback() throws Exception {
    try (Running w1 = Running.start(dir, "w1");
        Database db = migrated("two_writers")) {
      List<WitnessEndpoint> one = List.of(w1.endpoint());
      try (AuditLog a =
              Logs.open(db, c -> c.witnesses(one, 1).publishInterval(Duration.ofMillis(50)));
          AuditLog b =
              Logs.open(db, c -> c.witnesses(one, 1).publishInterval(Duration.ofMillis(50)))) {
        for (int i = 0; i < 40; i++) {
          a.append(Logs.read("subj_a_" + i)).join();
          a.checkpoint();
          b.append(Logs.read("subj_b_" + i)).join();
          // b's latest checkpoint is now older than what a published: b must catch up, not cry
          b.publication().publishNow();
          a.publication().publishNow();
        }
        assertThat(a.publication().divergence()).isEmpty();
        assertThat(b.publication().divergence()).isEmpty();
        assertThat(b.verify().ok()).isTrue();
      }
    }
  }

  @Test
  void aCosignatureByAnotherKey_isNotStored_andCountsAsAFailedAttempt() throws Exception {
    try (Running impostor = Running.start(dir, "w1");
        Database db = migrated("impostor")) {
      // the log trusts witness.test/w1 with another key than the one answering
      WitnessEndpoint trusted =
          new WitnessEndpoint(
              impostor.endpoint().submissionPrefix(), Cosigner.generate("witness.test/w1").key());
      try (AuditLog log = Logs.open(db, c -> c.witnesses(List.of(trusted), 1))) {
        append(log, 5);
        long size = log.checkpoint().size();
        log.publication().publishNow();
        assertThat(log.publication().cosignatures(size)).isEmpty();
        assertThat(log.publication().published()).isEmpty();
        assertThat(log.publication().failures()).isPositive();
        assertThat(log.publication().witnesses())
            .anyMatch(w -> "no valid cosignature in the answer".equals(w.lastError()));
        assertThat(log.publication().divergence()).isEmpty();
      }
    }
  }

  @Test
  void aPinnedKeyTheDatabaseDoesNotHold_isASignatureFailure() {
    try (Database db = migrated("pinned");
        AuditLog log =
            Logs.open(db, c -> c.verifierKey(CheckpointSigner.generate(ORIGIN).verifierKey()))) {
      append(log, 3);
      log.checkpoint();
      assertThat(log.verify().failure().orElseThrow().kind())
          .isEqualTo(Verification.Kind.SIGNATURE);
    }
    try (Database db = migrated("pinned_right");
        AuditLog log = Logs.open(db, c -> c.verifierKey(Logs.SIGNER.verifierKey()))) {
      append(log, 3);
      log.checkpoint();
      assertThat(log.verify().ok()).isTrue();
    }
  }
}
