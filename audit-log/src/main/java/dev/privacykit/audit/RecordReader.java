package dev.privacykit.audit;

import dev.privacykit.audit.internal.EntryCodec;
import dev.privacykit.audit.internal.EntryStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns stored rows into {@link AuditRecord}s with their bodies, read from the same store as the
 * rows and decrypted under each subject's key while it exists (else the body is shredded).
 */
final class RecordReader {
  private final AuditLogConfig config;

  RecordReader(AuditLogConfig config) {
    this.config = config;
  }

  List<AuditRecord> withBodies(EntryStore from, List<EntryCodec.Fields> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    Map<Long, byte[]> bodies = from.bodies(rows.stream().map(EntryCodec.Fields::seq).toList());
    List<AuditRecord> out = new ArrayList<>(rows.size());
    for (EntryCodec.Fields f : rows) {
      out.add(decode(f, bodies.get(f.seq())));
    }
    return out;
  }

  private AuditRecord decode(EntryCodec.Fields f, byte[] body) {
    if (f.bodyHash() == null) {
      return AuditRecord.of(f, null, AuditRecord.BodyState.NONE);
    }
    if (body == null) {
      return AuditRecord.of(f, null, AuditRecord.BodyState.PRUNED);
    }
    if (config.subjectKeys == null || !config.subjectKeys.hasKey(f.tenant(), f.subject())) {
      return AuditRecord.of(f, null, AuditRecord.BodyState.SHREDDED);
    }
    try {
      byte[] plain =
          config
              .subjectKeys
              .cipher(f.tenant(), f.subject())
              .decrypt(body, EntryBodies.context(f.tenant(), f.seq()));
      return AuditRecord.of(
          f, new String(plain, StandardCharsets.UTF_8), AuditRecord.BodyState.PRESENT);
    } catch (GeneralSecurityException e) {
      return AuditRecord.of(f, null, AuditRecord.BodyState.SHREDDED);
    }
  }
}
