package dev.privacykit.audit;

import dev.privacykit.audit.internal.Merkle;
import dev.privacykit.crypto.FieldContext;
import dev.privacykit.crypto.SubjectKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * An entry's body and identity as the writer stores them: the body encrypted under the subject's
 * key and bound to its seq, and the fingerprint an idempotency key is checked against.
 */
final class EntryBodies {
  private EntryBodies() {}

  /** The body's ciphertext (null without a body), bound to tenant and seq. */
  static byte[] encrypt(SubjectKeys subjectKeys, AuditEntry e, long seq) {
    if (e.body() == null) {
      return null;
    }
    if (subjectKeys == null) {
      throw new AuditLogException(
          "this audit log has no SubjectKeys, so entries cannot carry bodies");
    }
    try {
      return subjectKeys
          .cipher(e.tenant(), e.subject())
          .encrypt(e.body().getBytes(StandardCharsets.UTF_8), context(e.tenant(), seq));
    } catch (GeneralSecurityException ex) {
      throw new AuditLogException("an entry body could not be encrypted: " + ex.getMessage(), ex);
    }
  }

  /** Where a body lives, for its encryption and decryption. */
  static FieldContext context(String tenant, long seq) {
    return FieldContext.of(tenant, "audit_bodies", "body", Long.toString(seq));
  }

  /** What makes two entries the same for an idempotency key: every stored field and the body. */
  static String fingerprint(AuditEntry e) {
    StringBuilder text = new StringBuilder();
    for (String field : e.storedFields()) {
      text.append(field == null ? "\u0001" : field).append('\u0000');
    }
    text.append(e.body() == null ? "\u0001" : e.body());
    return java.util.HexFormat.of()
        .formatHex(Merkle.sha256(text.toString().getBytes(StandardCharsets.UTF_8)));
  }
}
