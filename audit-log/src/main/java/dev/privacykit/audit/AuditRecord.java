package dev.privacykit.audit;

import dev.privacykit.audit.internal.EntryCodec;
import java.time.Instant;
import java.util.List;

/**
 * A stored entry as read back.
 *
 * @param seq its position in the log (0-based, gapless)
 * @param recordedAt when it was written (UTC)
 * @param entry what was recorded; its body is the decrypted body, or null (see {@link #body})
 * @param body what became of the body
 * @param leafHash the RFC 6962 leaf hash, for inclusion proofs
 * @param leafSalt the entry's 16-byte salt, part of its leaf (null for entries written before
 *     salts), so a verifier can recompute the leaf from the fields
 * @param bodyHash the SHA-256 of the stored (encrypted) body, part of the leaf; null without a body
 */
public record AuditRecord(
    long seq,
    Instant recordedAt,
    AuditEntry entry,
    BodyState body,
    byte[] leafHash,
    byte[] leafSalt,
    byte[] bodyHash) {

  /** What can be read of an entry's body. */
  public enum BodyState {
    /** The entry had no body. */
    NONE,
    /** Decrypted: {@code entry().body()} holds it. */
    PRESENT,
    /** Removed by retention ({@link AuditLog#prune}). */
    PRUNED,
    /**
     * Its subject's key was destroyed (crypto-shredding): the body exists but no one can read it.
     */
    SHREDDED
  }

  static AuditRecord of(EntryCodec.Fields f, String body, BodyState state) {
    AuditEntry entry =
        new AuditEntry(
            f.tenant(),
            f.actor(),
            f.actorRole(),
            f.subject(),
            Action.valueOf(f.action()),
            f.purpose(),
            f.legalBasis(),
            f.categories() == null ? List.of() : List.of(f.categories().split(",")),
            f.recipient(),
            f.requestId(),
            Outcome.valueOf(f.outcome()),
            f.submittedBy(),
            body);
    return new AuditRecord(
        f.seq(), f.recordedAt(), entry, state, EntryCodec.leaf(f), f.salt(), f.bodyHash());
  }
}
