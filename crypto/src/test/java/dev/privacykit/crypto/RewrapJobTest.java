package dev.privacykit.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.crypto.internal.Bytes;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import dev.privacykit.storage.testing.DatabaseTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;

class RewrapJobTest {
  private static final int ROWS = 250;

  @DatabaseTest
  void interrupted_thenResumed_rewrapsEveryRowExactlyOnce(Database db) throws Exception {
    Jdbi jdbi = Jdbis.of(db);
    jdbi.useHandle(
        h ->
            h.execute(
                "CREATE TABLE rw_customers (id BIGINT PRIMARY KEY, tenant VARCHAR(50) NOT NULL,"
                    + " email VARCHAR(500), photo BYTEA)"));
    Keyring keyring = Keyring.inMemory();
    FieldCipher cipher = FieldCipher.randomized(keyring);
    for (int i = 1; i <= ROWS; i++) {
      int id = i;
      String email =
          cipher.encryptToString(
              "user" + i + "@example.com",
              FieldContext.of("acme", "rw_customers", "email", "" + i));
      byte[] photo =
          cipher.encrypt(
              new byte[] {(byte) i}, FieldContext.of("acme", "rw_customers", "photo", "" + i));
      jdbi.useHandle(
          h ->
              h.createUpdate("INSERT INTO rw_customers VALUES (:id, 'acme', :email, :photo)")
                  .bind("id", id)
                  .bind("email", email)
                  .bind("photo", id % 10 == 0 ? null : photo)
                  .execute());
    }
    KeyVersion old = keyring.primary();
    keyring.rotate();

    AtomicInteger batches = new AtomicInteger();
    RewrapJob[] job = new RewrapJob[1];
    job[0] =
        RewrapJob.builder(db, "rw-test")
            .table("rw_customers")
            .idColumn("id")
            .tenantColumn("tenant")
            .column("email", cipher)
            .column("photo", cipher)
            .batchSize(40)
            .onBatch(
                progress -> {
                  if (batches.incrementAndGet() == 3) {
                    job[0].stop();
                  }
                })
            .build();
    RewrapJob.Progress stopped = job[0].run();
    assertThat(stopped.finished()).isFalse();
    assertThat(stopped.rowsScanned()).isEqualTo(120);

    RewrapJob.Progress done = job[0].run();
    assertThat(done.finished()).isTrue();
    assertThat(done.rowsScanned()).isEqualTo(ROWS);
    assertThat(done.rowsRewrapped()).isEqualTo(ROWS);
    assertThat(done.rowsFailed()).isZero();
    assertThat(job[0].run()).isEqualTo(done); // finished jobs do nothing more

    keyring.destroy(old.id()); // only possible because nothing needs the old key now
    List<Map<String, Object>> rows =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT id, email, photo FROM rw_customers ORDER BY id")
                    .mapToMap()
                    .list());
    List<String> emails = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      String id = row.get("id").toString();
      emails.add(
          cipher.decryptString(
              (String) row.get("email"), FieldContext.of("acme", "rw_customers", "email", id)));
      if (row.get("photo") != null) {
        assertThat(
                cipher.decrypt(
                    (byte[]) row.get("photo"),
                    FieldContext.of("acme", "rw_customers", "photo", id)))
            .containsExactly((byte) Integer.parseInt(id));
      }
    }
    assertThat(emails)
        .hasSize(ROWS)
        .doesNotHaveDuplicates()
        .contains("user1@example.com", "user250@example.com");
  }

  @DatabaseTest
  void undecryptableRow_isCountedAndLeft(Database db) throws Exception {
    Jdbi jdbi = Jdbis.of(db);
    jdbi.useHandle(
        h -> h.execute("CREATE TABLE rw_bad (id VARCHAR(20) PRIMARY KEY, secret VARCHAR(500))"));
    Keyring keyring = Keyring.inMemory();
    FieldCipher cipher = FieldCipher.randomized(keyring);
    String good = cipher.encryptToString("ok", FieldContext.of("acme", "rw_bad", "secret", "a"));
    String tampered = Bytes.toBase64Url(new byte[40]);
    jdbi.useHandle(h -> h.execute("INSERT INTO rw_bad VALUES ('a', ?), ('b', ?)", good, tampered));
    keyring.rotate();
    RewrapJob.Progress progress =
        RewrapJob.builder(db, "rw-bad")
            .table("rw_bad")
            .idColumn("id")
            .tenant("acme")
            .column("secret", cipher)
            .build()
            .run();
    assertThat(progress.rowsRewrapped()).isEqualTo(1);
    assertThat(progress.rowsFailed()).isEqualTo(1);
    String stillThere =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT secret FROM rw_bad WHERE id = 'b'")
                    .mapTo(String.class)
                    .one());
    assertThat(stillThere).isEqualTo(tampered);
  }

  @DatabaseTest
  void builder_refusesUnsafeIdentifiers(Database db) {
    assertThatThrownBy(() -> RewrapJob.builder(db, "x").table("users; DROP TABLE users"))
        .hasMessage(
            "table must be a plain SQL identifier (letters, digits, '_'), was users; DROP TABLE users");
    assertThatThrownBy(
            () ->
                RewrapJob.builder(db, "x")
                    .table("t")
                    .idColumn("id")
                    .column("c", FieldCipher.randomized(Keyring.inMemory()))
                    .build())
        .hasMessage("set exactly one of tenant and tenantColumn");
  }
}
