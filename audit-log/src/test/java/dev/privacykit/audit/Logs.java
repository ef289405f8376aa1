package dev.privacykit.audit;

import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.storage.Database;
import java.time.Duration;

/** Opens audit logs for tests, all signed by one key and sharing one root key. */
final class Logs {
  static final RootKey ROOT = RootKeys.ephemeral();
  static final CheckpointSigner SIGNER = CheckpointSigner.generate("test.privacykit.dev/audit");

  private Logs() {}

  static AuditLog open(Database db) {
    return open(db, c -> {});
  }

  static AuditLog open(Database db, java.util.function.Consumer<AuditLogConfig> more) {
    SubjectKeys keys = SubjectKeys.open(db, ROOT);
    return AuditLog.open(
        db,
        c -> {
          c.origin("test.privacykit.dev/audit")
              .signer(SIGNER)
              .subjectKeys(keys)
              .checkpointInterval(Duration.ofMillis(100));
          more.accept(c);
        });
  }

  static AuditEntry read(String subject) {
    return AuditEntry.builder("acme", "svc:orders", Action.READ)
        .actorRole("service")
        .subject(subject)
        .purpose("order_fulfilment")
        .legalBasis("gdpr:contract")
        .categories(java.util.List.of("user.contact.email"))
        .requestId("req-1")
        .body("{\"ip\":\"203.0.113.7\"}")
        .build();
  }
}
