package dev.privacykit.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.audit.Verification;
import dev.privacykit.crypto.FieldContext;
import dev.privacykit.policies.ConsentState;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written by the previous release (the service jar of stop 11, before the consent
 * library was split from the server) opens and migrates with this one: its Flyway histories
 * validate, its keys unwrap, its consents read back, its ciphertext decrypts, its audit log still
 * verifies, and new appends extend it. The fixtures under {@code legacy/0.1.0/} were written by
 * that jar with the README's newcomer flow (development mode), as an H2 script and a PostgreSQL
 * dump, with the development key files they were written under.
 */
class LegacyDatabaseTest {
  private static final String FIXTURE = "/legacy/0.1.0/";

  @Test
  @DisplayName("legacy database opens and migrates [H2]")
  void legacyH2Database_opensMigratesAndVerifies(@TempDir Path dir) throws Exception {
    copyKeys(dir);
    Path script = dir.resolve("legacy.sql");
    Files.write(script, resource("h2.sql"));
    try (Connection connection = DriverManager.getConnection(Database.embeddedUrl(dir));
        Statement statement = connection.createStatement()) {
      statement.execute("RUNSCRIPT FROM '" + script + "'");
    }
    Files.delete(script);
    ServerConfig config =
        ServerConfig.load(null, Map.of("PRIVACYKIT_DATA_DIR", dir.toString()), Map.of());
    checkOpensAndWorks(
        config, "AQFR2A3PPkpSmPD_bvJfrmZ-AT7bN3lytX7QLw8QAHEQRavIL7NsCVA3EphVIMnpxr6k");
  }

  @Test
  @DisplayName("legacy database opens and migrates [PostgreSQL]")
  void legacyPostgresDatabase_opensMigratesAndVerifies(@TempDir Path dir) throws Exception {
    String url = TestDatabase.postgresUrl();
    String schema = "pk_legacy_" + UUID.randomUUID().toString().substring(0, 8);
    Connection connection;
    try {
      connection = DriverManager.getConnection(url);
    } catch (SQLException e) {
      Assumptions.assumeFalse(
          !TestDatabase.postgresRequired(), "PostgreSQL is unreachable: " + e.getMessage());
      throw e;
    }
    try (connection;
        Statement statement = connection.createStatement()) {
      statement.execute(
          new String(resource("postgresql.sql"), StandardCharsets.UTF_8)
              .replace("legacy_fixture", schema));
      copyKeys(dir);
      ServerConfig config =
          ServerConfig.load(
              null,
              Map.of(
                  "PRIVACYKIT_DATA_DIR", dir.toString(),
                  "PRIVACYKIT_DATABASE_URL", url,
                  "PRIVACYKIT_DATABASE_SCHEMA", schema),
              Map.of());
      checkOpensAndWorks(
          config, "AQGQvCr5QeL4Y-pxJ8_r72VLMTDjTU4176xEHCFzf1tPke3bBW-nF85Pa9I8SrzkHXSB");
    } finally {
      try (Connection drop = DriverManager.getConnection(url);
          Statement statement = drop.createStatement()) {
        statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  private static void checkOpensAndWorks(ServerConfig config, String legacyCiphertext)
      throws Exception {
    try (Database database = config.openDatabase()) {
      database.migrate();
      try (Services services = Services.open(config, database)) {
        Verification before = services.audit.verify();
        assertThat(before.ok()).as(before.toString()).isTrue();
        assertThat(before.entries())
            .as("the flow's 12 entries, the last verify's own included")
            .isEqualTo(12);
        assertThat(services.ledger.lookup().lookup("demo", "user-42", "email_marketing").state())
            .isEqualTo(ConsentState.GIVEN);
        assertThat(services.ledger.lookup().lookup("demo", "user-43", "email_marketing").state())
            .isEqualTo(ConsentState.WITHDRAWN);
        assertThat(
                services.randomized.decryptString(
                    legacyCiphertext, FieldContext.of("demo", "users", "email", "42")))
            .isEqualTo("alice@example.com");
        assertThat(services.requests.dueWithin("demo", java.time.Duration.ofDays(400))).hasSize(1);
        assertThat(services.receipts.publicJwk()).contains("\"crv\":\"P-256\"");
        services
            .audit
            .append(
                dev.privacykit.audit.AuditEntry.builder(
                        "demo", "agent-7", dev.privacykit.audit.Action.READ)
                    .subject("user-42")
                    .build())
            .join();
        services.audit.checkpoint();
        Verification after = services.audit.verify();
        assertThat(after.ok()).as(after.toString()).isTrue();
        assertThat(after.entries()).isEqualTo(13);
      }
    }
  }

  private static void copyKeys(Path dir) throws IOException {
    for (String file : List.of("dev-root.key", "dev-root.key.passphrase", "dev-issuer.jwk")) {
      Path copy = dir.resolve(file);
      Files.write(copy, resource("data/" + file));
      Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = LegacyDatabaseTest.class.getResourceAsStream(FIXTURE + name)) {
      if (in == null) {
        throw new IOException("missing fixture " + FIXTURE + name);
      }
      return in.readAllBytes();
    }
  }
}
