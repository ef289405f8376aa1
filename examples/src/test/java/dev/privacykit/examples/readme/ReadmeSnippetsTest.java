package dev.privacykit.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.consent.ConsentLedger;
import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.policies.LivePolicy;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.policies.ReasonCode;
import dev.privacykit.storage.Database;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java snippet in the project's READMEs stands, token for token (white space and {@code //}
 * comments aside), in a compiled class of this module, and each of those classes runs here. So a
 * README cannot show code that no longer compiles or works.
 */
class ReadmeSnippetsTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyReadmeJavaSnippet_isCompiledHere() throws IOException {
    Path root = projectRoot();
    StringBuilder compiled = new StringBuilder();
    try (Stream<Path> files = Files.walk(root.resolve("examples/src/main/java"))) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        compiled.append(normalized(Files.readString(file)));
      }
    }
    List<String> readmes = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root, 2)) {
      files
          .filter(p -> p.getFileName().toString().equals("README.md"))
          .filter(p -> !p.toString().contains("node_modules"))
          .forEach(p -> readmes.add(root.relativize(p).toString()));
    }
    int snippets = 0;
    List<String> missing = new ArrayList<>();
    for (String readme : readmes) {
      Matcher m = JAVA_BLOCK.matcher(Files.readString(root.resolve(readme)));
      while (m.find()) {
        snippets++;
        if (!compiled.toString().contains(normalized(m.group(1)))) {
          missing.add(readme + ": " + m.group(1).lines().findFirst().orElse(""));
        }
      }
    }
    assertThat(snippets).as("Java snippets found in READMEs").isGreaterThanOrEqualTo(7);
    assertThat(missing).as("README snippets that no example compiles").isEmpty();
  }

  @Test
  void libraryQuickStart_runs(@TempDir Path dir) throws Exception {
    assertThat(LibraryQuickStart.run(dir).reason()).isEqualTo(ReasonCode.NO_CONSENT);
  }

  @Test
  void storageSnippet_runs(@TempDir Path dir) {
    assertThat(StorageReadme.run(dir)).isTrue();
  }

  @Test
  void cryptoSnippet_runs(@TempDir Path dir) throws Exception {
    assertThat(CryptoReadme.run(dir)).isEqualTo("alice@example.com");
  }

  @Test
  void auditLogSnippet_runs(@TempDir Path dir) throws Exception {
    assertThat(AuditLogReadme.run(dir).ok()).isTrue();
  }

  @Test
  void auditShardsSnippet_runs(@TempDir Path dir) throws Exception {
    assertThat(AuditShardsReadme.run(dir).ok()).isTrue();
  }

  @Test
  void consentManagersSnippet_runs(@TempDir Path dir) throws Exception {
    var key =
        new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
            .keyID("k1")
            .generate();
    var claims = new java.util.LinkedHashMap<String, Object>();
    claims.put("iss", "cm-one");
    claims.put("aud", "acme");
    claims.put("sub", "subj_8f3a");
    claims.put("action", "give");
    claims.put("purposes", java.util.List.of("account"));
    claims.put("notice", java.util.Map.of("version", 2, "language", "en"));
    claims.put("iat", java.time.Instant.now().getEpochSecond());
    claims.put("jti", "a-1");
    var jws =
        new com.nimbusds.jose.JWSObject(
            new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES256)
                .keyID("k1")
                .build(),
            new com.nimbusds.jose.Payload(claims));
    jws.sign(new com.nimbusds.jose.crypto.ECDSASigner(key));
    var dpdp = dev.privacykit.policies.PolicyPacks.dpdp();
    try (Database db = Database.embedded(dir);
        var ledger = ConsentLedger.open(prepared(db), c -> c.policy(dpdp))) {
      Object[] out =
          ConsentManagersReadme.run(
              db,
              ledger,
              dpdp,
              new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()).toString(),
              null,
              jws.serialize(),
              0);
      var applied = (dev.privacykit.consent.ConsentManagers.Applied) out[0];
      assertThat(applied.events()).hasSize(1);
      assertThat(applied.events().get(0).provenance().consentManager()).isEqualTo("cm-one");
      assertThat((java.util.List<?>) out[1]).isEmpty();
    }
  }

  private static Database prepared(Database db) {
    db.migrate();
    return db;
  }

  @Test
  void noticesSnippet_runs(@TempDir Path dir) {
    try (Database db = Database.embedded(dir)) {
      db.migrate();
      assertThat(NoticesReadme.run(db)).isTrue();
    }
  }

  @Test
  void policiesSnippet_runs(@TempDir Path dir) throws Exception {
    var decision = PoliciesReadme.run(dir);
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason()).isEqualTo(ReasonCode.CONSENT_NEEDS_RENEWAL);
  }

  @Test
  void consentAndJavalinSnippets_run(@TempDir Path dir) throws Exception {
    RootKey root = RootKeys.createKeyFile(dir.resolve("root.key"), "a passphrase".toCharArray());
    Files.writeString(dir.resolve("policy.yaml"), PolicyPacks.text("gdpr.yaml"));
    try (Database db = Database.embedded(dir)) {
      db.migrate();
      LivePolicy policy = LivePolicy.load(dir.resolve("policy.yaml"));
      SubjectKeys keys = SubjectKeys.open(db, root);
      CheckpointSigner signer = CheckpointSigner.open(db, root, "example/log");
      try (AuditLog audit =
          AuditLog.open(db, c -> c.origin("example/log").signer(signer).subjectKeys(keys))) {
        var decisions = ConsentReadme.run(db, policy, audit, keys);
        assertThat(decisions.get("email_marketing").reason())
            .isEqualTo(ReasonCode.CONSENT_WITHDRAWN);
        try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(policy).audit(audit))) {
          var app =
              JavalinReadme.create(
                  URI.create("https://id.example.com/jwks.json"), policy, ledger, audit);
          app.start("127.0.0.1", 0);
          try {
            assertThat(app.port()).isPositive();
          } finally {
            app.stop();
          }
          String exported =
              PackagesReadme.run(
                  db,
                  audit,
                  ledger,
                  dev.privacykit.consent.SubjectIdentifiers.open(
                      db, dev.privacykit.crypto.Keyring.inMemory(), keys, 1_000),
                  (tenant, subject) ->
                      java.util.List.of(
                          new PackagesReadme.Order(
                              "o-1", "1 Main Street", new java.math.BigDecimal("12.50"))));
          assertThat(exported)
              .contains("\"format\" : \"privacykit-portability/1\"")
              .contains("\"contributor\" : \"orders\"")
              .contains("\"total\" : \"12.50\"");
          var filed =
              NominationsReadme.run(
                  db,
                  audit,
                  dev.privacykit.consent.DataSubjectRequests.open(db, c -> c.audit(audit)),
                  dev.privacykit.consent.Evidence.at(java.time.Instant.now().minusSeconds(120)),
                  java.time.Instant.now()
                      .plusSeconds(30)); // after the nomination, as the rule needs
          assertThat(filed.filedBy()).isEqualTo(dev.privacykit.consent.RequestFiler.NOMINEE);
          assertThat(filed.subject()).isEqualTo("subj_8f3a");
          var given =
              GuardiansReadme.run(
                  db,
                  audit,
                  ledger,
                  java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusYears(9));
          assertThat(given.provenance().guardian()).isEqualTo("subj_mum");
          assertThat(given.provenance().guardianLink()).isNotNull();
        }
      }
    }
  }

  /** Code without white space or line comments ({@code //} inside a string literal stays). */
  static String normalized(String code) {
    StringBuilder out = new StringBuilder(code.length());
    boolean inString = false;
    for (int i = 0; i < code.length(); i++) {
      char c = code.charAt(i);
      if (inString) {
        out.append(c);
        if (c == '\\' && i + 1 < code.length()) {
          out.append(code.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '/' && i + 1 < code.length() && code.charAt(i + 1) == '/') {
        while (i < code.length() && code.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '"') {
        inString = true;
        out.append(c);
      } else if (!Character.isWhitespace(c)) {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("bom/pom.xml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("not inside the PrivacyKit checkout");
    }
    return dir;
  }
}
