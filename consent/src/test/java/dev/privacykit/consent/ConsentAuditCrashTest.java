package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditQuery;
import dev.privacykit.audit.AuditRecord;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A process killed between a consent change's commit and its audit entry's: after restart, every
 * committed change has exactly one entry. The audit table is held locked so that the kill lands in
 * that window every time.
 */
class ConsentAuditCrashTest {
  private static final String PASSPHRASE = "crash-test-passphrase";

  @DatabaseTest
  void killedBetweenAChangeAndItsEntry_theEntryComesOnRestart_once(TestDatabase test)
      throws Exception {
    if (test.dialect() != Dialect.POSTGRESQL) {
      return; // a second process needs a server database; the in-process case covers H2
    }
    Path dir = Files.createTempDirectory("pk-consent-crash");
    Path keyFile = dir.resolve("root.key");
    RootKey root = RootKeys.createKeyFile(keyFile, PASSPHRASE.toCharArray());
    String tenant = "t_" + UUID.randomUUID().toString().substring(0, 8);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ConsentCrashChild.class.getName(),
                test.url(),
                test.schema(),
                keyFile.toString(),
                PASSPHRASE,
                tenant)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<String> acknowledged = new ArrayList<>();
    try (Connection lock = test.ownerConnection();
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("ACK ")) {
          acknowledged.add(line.substring(4));
          if (acknowledged.size() >= 20) {
            break;
          }
        }
      }
      assertThat(acknowledged).as("the child acknowledged changes").hasSize(20);
      // hold the audit table: the next change commits, its entry cannot
      lock.setAutoCommit(false);
      try (Statement sql = lock.createStatement()) {
        sql.execute("LOCK TABLE audit_entries IN ACCESS EXCLUSIVE MODE");
      }
      // the change in flight commits, then the child waits on its entry: the count stops growing
      long deadline = System.currentTimeMillis() + 60_000;
      long seen = committedEvents(test, tenant);
      long stableSince = System.currentTimeMillis();
      while (System.currentTimeMillis() - stableSince < 1_000
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
        long now = committedEvents(test, tenant);
        if (now != seen) {
          seen = now;
          stableSince = System.currentTimeMillis();
        }
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      lock.rollback();
    }
    Map<String, Integer> committed = new HashMap<>();
    try (Connection owner = test.ownerConnection();
        Statement sql = owner.createStatement();
        ResultSet rs =
            sql.executeQuery(
                "SELECT event_id FROM consent_events WHERE tenant = '" + tenant + "'")) {
      while (rs.next()) {
        committed.put(rs.getString(1), 0);
      }
    }
    try (Connection owner = test.ownerConnection();
        Statement sql = owner.createStatement();
        ResultSet rs =
            sql.executeQuery(
                "SELECT COUNT(*) FROM audit_entries WHERE tenant = '"
                    + tenant
                    + "' AND action = 'CONSENT_GIVEN'")) {
      rs.next();
      assertThat(rs.getLong(1))
          .as("the kill landed between a change's commit and its entry's")
          .isLessThan(committed.size());
    }

    CheckpointSigner signer = CheckpointSigner.open(test.database(), root, "crash.test/audit");
    try (AuditLog audit =
            AuditLog.open(
                test.database(),
                c ->
                    c.origin("crash.test/audit")
                        .signer(signer)
                        .subjectKeys(SubjectKeys.open(test.database(), root)));
        ConsentLedger restarted =
            ConsentLedger.open(test.database(), c -> c.policy(PolicyPacks.gdpr()).audit(audit))) {
      for (AuditRecord r :
          audit.query(AuditQuery.tenant(tenant).action(Action.CONSENT_GIVEN).limit(1_000))) {
        committed.merge(r.entry().requestId(), 1, Integer::sum);
      }
      assertThat(committed)
          .allSatisfy((event, entries) -> assertThat(entries).as(event).isEqualTo(1));
      assertThat(audit.verify().failure()).isEmpty();
    }
  }

  private static long committedEvents(TestDatabase test, String tenant) throws Exception {
    try (Connection c = test.ownerConnection();
        Statement sql = c.createStatement();
        ResultSet rs =
            sql.executeQuery(
                "SELECT COUNT(*) FROM consent_events WHERE tenant = '" + tenant + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
