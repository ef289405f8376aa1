package dev.privacykit.audit.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The canonical, versioned bytes of an entry, the input of its leaf hash: version 1, seq and time
 * (microseconds since the epoch) as 8-byte big-endian numbers, then each field as a 4-byte length
 * (-1 for none) and its UTF-8 bytes, then the body's SHA-256 (or length -1). Not API.
 */
public final class EntryCodec {
  private static final byte VERSION = 1;
  private static final byte VERSION_SUBMITTED_BY = 2;
  private static final byte VERSION_SALTED = 3;

  /** Bytes of a leaf's salt. */
  public static final int SALT_BYTES = 16;

  private EntryCodec() {}

  /** The fields of a stored entry, as they are hashed. */
  public record Fields(
      long seq,
      Instant recordedAt,
      String tenant,
      String actor,
      String actorRole,
      String subject,
      String action,
      String purpose,
      String legalBasis,
      String categories,
      String recipient,
      String requestId,
      String outcome,
      String submittedBy,
      byte[] bodyHash,
      byte[] salt) {

    /** The fields of an entry from its stored text fields in column order (12 of them). */
    public static Fields of(
        long seq, Instant recordedAt, String[] stored, byte[] bodyHash, byte[] salt) {
      if (stored.length != 12) {
        throw new IllegalArgumentException("an entry has 12 stored text fields");
      }
      return new Fields(
          seq,
          recordedAt,
          stored[0],
          stored[1],
          stored[2],
          stored[3],
          stored[4],
          stored[5],
          stored[6],
          stored[7],
          stored[8],
          stored[9],
          stored[10],
          stored[11],
          bodyHash,
          salt);
    }
  }

  /** The canonical bytes. */
  public static byte[] encode(Fields f) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    // Version 3 starts with a random salt and ends with the submitter (or none); version 2 is
    // version 1 plus the submitter at the end. Entries written before either existed keep their
    // bytes, so their leaves hash as they always did.
    if (f.salt() != null) {
      out.write(VERSION_SALTED);
      out.write(f.salt(), 0, f.salt().length);
    } else {
      out.write(f.submittedBy() == null ? VERSION : VERSION_SUBMITTED_BY);
    }
    putLong(out, f.seq());
    putLong(out, ChronoUnit.MICROS.between(Instant.EPOCH, f.recordedAt()));
    for (String s :
        new String[] {
          f.tenant(),
          f.actor(),
          f.actorRole(),
          f.subject(),
          f.action(),
          f.purpose(),
          f.legalBasis(),
          f.categories(),
          f.recipient(),
          f.requestId(),
          f.outcome()
        }) {
      putBytes(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }
    putBytes(out, f.bodyHash());
    if (f.salt() != null || f.submittedBy() != null) {
      putBytes(
          out, f.submittedBy() == null ? null : f.submittedBy().getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  /** The leaf hash of the entry. */
  public static byte[] leaf(Fields f) {
    return Merkle.leafHash(encode(f));
  }

  private static void putLong(ByteArrayOutputStream out, long value) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift));
    }
  }

  private static void putBytes(ByteArrayOutputStream out, byte[] bytes) {
    int length = bytes == null ? -1 : bytes.length;
    out.write(length >>> 24);
    out.write(length >>> 16);
    out.write(length >>> 8);
    out.write(length);
    if (bytes != null) {
      out.write(bytes, 0, bytes.length);
    }
  }
}
