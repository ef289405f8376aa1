package dev.privacykit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.spi.Jdbis;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A process killed mid-stream (SIGKILL, no shutdown) loses no acknowledged entry. */
class AuditCrashTest {
  private static final String PASSPHRASE = "crash test passphrase";

  @DatabaseTest
  void killedProcess_losesNoAcknowledgedEntry(TestDatabase test) throws Exception {
    Path dir = Files.createTempDirectory("pk-crash");
    Path keyFile = dir.resolve("root.key");
    RootKey root = RootKeys.createKeyFile(keyFile, PASSPHRASE.toCharArray());
    boolean postgres = test.dialect() == Dialect.POSTGRESQL;
    String url = postgres ? test.url() : Database.embeddedUrl(dir);
    String schema = postgres ? test.schema() : "-";

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                AuditCrashChild.class.getName(),
                url,
                schema,
                keyFile.toString(),
                PASSPHRASE)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<Long> acknowledged = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      long deadline = System.currentTimeMillis() + 60_000;
      for (String line; (line = in.readLine()) != null && System.currentTimeMillis() < deadline; ) {
        if (line.startsWith("ACK ")) {
          acknowledged.add(Long.parseLong(line.substring(4)));
          if (acknowledged.size() >= 500) {
            break;
          }
        }
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(500);

    Database db = postgres ? test.database() : Database.open(url);
    try {
      long present =
          Jdbis.of(db)
              .withHandle(
                  h ->
                      h.createQuery("SELECT count(*) FROM audit_entries WHERE seq IN (<seqs>)")
                          .bindList("seqs", acknowledged)
                          .mapTo(Long.class)
                          .one());
      assertThat(present).isEqualTo(acknowledged.size());
      CheckpointSigner signer = CheckpointSigner.open(db, root, "crash.test/audit");
      try (AuditLog log =
          AuditLog.open(
              db,
              c ->
                  c.origin("crash.test/audit")
                      .signer(signer)
                      .subjectKeys(SubjectKeys.open(db, root)))) {
        Verification verification = log.verify();
        assertThat(verification.failure()).isEmpty();
        assertThat(verification.entries())
            .isGreaterThanOrEqualTo(
                acknowledged.stream().mapToLong(Long::longValue).max().orElse(0) + 1);
      }
    } finally {
      if (!postgres) {
        db.close();
      }
    }
  }
}
