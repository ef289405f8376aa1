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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Two and four processes append to four shards of one PostgreSQL schema at once (one of the four is
 * SIGKILLed mid-stream): every acknowledged entry is stored exactly once at the shard and seq it
 * was acknowledged with, every shard is gapless and verifies, and the top-level log's records of
 * the shards' checkpoints all check out.
 */
class ShardProcessesTest {
  private static final String PASSPHRASE = "shard processes passphrase";
  private static final int SHARDS = 4;

  @DatabaseTest(Dialect.POSTGRESQL)
  void twoAndFourProcesses_appendToEveryShard_gaplessAndVerified(TestDatabase test)
      throws Exception {
    Path dir = Files.createTempDirectory("pk-shards");
    Path keyFile = dir.resolve("root.key");
    RootKey root = RootKeys.createKeyFile(keyFile, PASSPHRASE.toCharArray());
    for (int processes : new int[] {2, 4}) {
      Database db = test.database().inSchema(test.schema() + "_p" + processes);
      db.migrate();
      // The owner migrates once (the key, every shard's schema), then the processes start.
      CheckpointSigner signer = CheckpointSigner.open(db, root, "shards.test/audit");
      AuditShards.open(
              db,
              ShardPlan.hashed(SHARDS),
              c ->
                  c.origin("shards.test/audit")
                      .signer(signer)
                      .subjectKeys(SubjectKeys.open(db, root)))
          .close();
      boolean killOne = processes == 4;
      try {
        Set<List<Long>> acked = run(test, db.schema(), keyFile, processes, killOne);
        check(db, root, acked);
      } finally {
        db.close();
      }
    }
  }

  private static Set<List<Long>> run(
      TestDatabase test, String schema, Path keyFile, int processes, boolean killOne)
      throws Exception {
    List<CompletableFuture<List<List<Long>>>> children = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      boolean victim = killOne && p == processes - 1;
      Process child = start(test, schema, keyFile, "p" + p);
      Path err = keyFile.resolveSibling("p" + p + ".err");
      children.add(CompletableFuture.supplyAsync(() -> read(child, victim, err)));
    }
    Set<List<Long>> acked = new HashSet<>();
    for (CompletableFuture<List<List<Long>>> child : children) {
      for (List<Long> ref : child.get(5, TimeUnit.MINUTES)) {
        assertThat(acked.add(ref)).as("acknowledged twice: %s", ref).isTrue();
      }
    }
    return acked;
  }

  private static Process start(TestDatabase test, String schema, Path keyFile, String name)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            ShardAppendChild.class.getName(),
            test.url(),
            schema,
            keyFile.toString(),
            PASSPHRASE,
            Integer.toString(SHARDS),
            "1500",
            name)
        .redirectError(keyFile.resolveSibling(name + ".err").toFile())
        .start();
  }

  /** The child's acknowledgements; a victim is SIGKILLed once it has acknowledged 200. */
  private static List<List<Long>> read(Process child, boolean victim, Path err) {
    List<List<Long>> acks = new ArrayList<>();
    boolean done = false;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = readLine(in, victim)) != null; ) {
        if (line.startsWith("ACK ")) {
          String[] parts = line.split(" ");
          acks.add(List.of(Long.parseLong(parts[1]), Long.parseLong(parts[2])));
          if (victim && acks.size() == 200) {
            child.destroyForcibly();
          }
        } else if (line.equals("DONE")) {
          done = true;
        }
      }
      child.waitFor(2, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      child.destroyForcibly();
    }
    if (victim) {
      assertThat(acks).hasSizeGreaterThanOrEqualTo(200);
    } else {
      assertThat(done).as("a child did not finish: %s", errors(err)).isTrue();
      assertThat(acks).hasSize(1500);
    }
    return acks;
  }

  /** The end of what a child wrote to standard error (test entries only: no personal data). */
  private static String errors(Path err) {
    try {
      String text = Files.readString(err);
      return text.substring(Math.max(0, text.length() - 2000));
    } catch (java.io.IOException e) {
      return "(no standard error)";
    }
  }

  /** The next line; null at the end, or once a killed victim's stream is gone. */
  private static String readLine(BufferedReader in, boolean victim) throws java.io.IOException {
    try {
      return in.readLine();
    } catch (java.io.IOException e) {
      if (victim) {
        return null;
      }
      throw e;
    }
  }

  private static void check(Database db, RootKey root, Set<List<Long>> acked) throws Exception {
    CheckpointSigner signer = CheckpointSigner.open(db, root, "shards.test/audit");
    try (AuditShards log =
        AuditShards.open(
            db,
            ShardPlan.hashed(SHARDS),
            c ->
                c.origin("shards.test/audit")
                    .signer(signer)
                    .subjectKeys(SubjectKeys.open(db, root)))) {
      Map<Long, Set<Long>> byShard = new HashMap<>();
      for (List<Long> ref : acked) {
        byShard.computeIfAbsent(ref.get(0), s -> new HashSet<>()).add(ref.get(1));
      }
      assertThat(byShard.keySet()).hasSize(SHARDS); // every shard took entries
      for (int id : log.ids()) {
        AuditLog shard = log.shard(id);
        long size = shard.size();
        String schema = id == 0 ? db.schema() : db.schema() + "_audit_s" + id;
        long[] stored =
            Jdbis.of(db)
                .withHandle(
                    h ->
                        h.createQuery(
                                "SELECT count(*), coalesce(max(seq), -1) FROM "
                                    + schema
                                    + ".audit_entries")
                            .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                            .one());
        assertThat(stored[0]).as("shard %s entries", id).isEqualTo(size);
        assertThat(stored[1]).as("shard %s gapless", id).isEqualTo(size - 1);
        for (long seq : byShard.getOrDefault((long) id, Set.of())) {
          assertThat(seq).isLessThan(size);
        }
      }
      ShardVerification verification = log.verify();
      assertThat(verification.problems()).isEmpty();
      assertThat(verification.ok()).isTrue();
      // Every acknowledged entry was written by the process that acknowledged it.
      for (List<Long> ref : acked) {
        AuditRecord record = log.shard(ref.get(0).intValue()).read(ref.get(1)).orElseThrow();
        assertThat(record.entry().actor()).startsWith("svc:p");
      }
      log.prove(1, 0).verifyOffline(log.topOrigin(), log.verifierKey());
    }
  }
}
