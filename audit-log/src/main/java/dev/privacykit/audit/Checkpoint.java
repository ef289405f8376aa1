package dev.privacykit.audit;

import dev.privacykit.audit.internal.Ed25519;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A signed statement of the log's size and root hash: a C2SP {@code tlog-checkpoint} body in a C2SP
 * {@code signed-note}, Ed25519-signed.
 *
 * <pre>
 * audit.example.com/log
 * 1042
 * 8yL0...base64 root...=
 *
 * — audit.example.com/log Ab3x...base64(keyid || signature)...
 * </pre>
 *
 * @param origin the log's name (first line)
 * @param size how many entries the tree holds
 * @param root the RFC 6962 root hash of those entries
 * @param note the whole signed note, as text
 */
public record Checkpoint(String origin, long size, byte[] root, String note) {

  /** The root as lower-case hex. */
  public String rootHex() {
    return HexFormat.of().formatHex(root);
  }

  /**
   * Parses a signed note and checks its signature with a C2SP verifier key ({@code
   * name+keyid+base64(0x01 || public key)}).
   *
   * @throws AuditLogException if the note is malformed or no signature by that key verifies
   */
  public static Checkpoint verify(String note, String verifierKey) {
    parseVerifierKey(verifierKey);
    String[] key = verifierKey.split("\\+", 3);
    byte[] keyId = HexFormat.of().parseHex(key[1]);
    byte[] publicKey = Arrays.copyOfRange(Base64.getDecoder().decode(key[2]), 1, 33);
    int split = note.indexOf("\n\n");
    if (split < 0) {
      throw new AuditLogException("checkpoint note has no signature block");
    }
    String text = note.substring(0, split + 1);
    String prefix = "\u2014 " + key[0] + " ";
    boolean signed = false;
    for (String line : note.substring(split + 2).split("\n")) {
      if (!line.startsWith(prefix)) {
        continue;
      }
      byte[] blob;
      try {
        blob = Base64.getDecoder().decode(line.substring(prefix.length()));
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (blob.length == 68
          && Arrays.equals(Arrays.copyOf(blob, 4), keyId)
          && Ed25519.verify(
              publicKey, text.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(blob, 4, 68))) {
        signed = true;
      }
    }
    if (!signed) {
      throw new AuditLogException("checkpoint signature does not verify with key " + key[0]);
    }
    return parseBody(text, note);
  }

  /**
   * Checks that {@code verifierKey} is a C2SP signed-note Ed25519 verifier key whose key ID matches
   * its name and key.
   *
   * @throws AuditLogException if it is not
   */
  static void parseVerifierKey(String verifierKey) {
    String[] key = verifierKey == null ? new String[0] : verifierKey.split("\\+", 3);
    if (key.length != 3) {
      throw new AuditLogException("verifier key must be name+keyid+base64(key)");
    }
    byte[] typed;
    byte[] keyId;
    try {
      typed = Base64.getDecoder().decode(key[2]);
      keyId = HexFormat.of().parseHex(key[1]);
    } catch (IllegalArgumentException e) {
      throw new AuditLogException("verifier key must be name+keyid+base64(key)");
    }
    if (typed.length != 33 || typed[0] != 1 || keyId.length != 4) {
      throw new AuditLogException("verifier key is not an Ed25519 signed-note key");
    }
    if (!Arrays.equals(keyId, CheckpointSigner.keyId(key[0], Arrays.copyOfRange(typed, 1, 33)))) {
      throw new AuditLogException("verifier key id does not match its name and key");
    }
  }

  static Checkpoint parseBody(String text, String note) {
    String[] lines = text.split("\n");
    if (lines.length < 3) {
      throw new AuditLogException("checkpoint must have origin, size and root lines");
    }
    try {
      long size = Long.parseLong(lines[1]);
      byte[] root = Base64.getDecoder().decode(lines[2]);
      if (size < 0 || root.length != 32) {
        throw new IllegalArgumentException();
      }
      return new Checkpoint(lines[0], size, root, note);
    } catch (IllegalArgumentException e) {
      throw new AuditLogException("checkpoint size or root is malformed");
    }
  }

  static String body(String origin, long size, byte[] root) {
    return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Checkpoint c && c.note.equals(note);
  }

  @Override
  public int hashCode() {
    return note.hashCode();
  }

  @Override
  public String toString() {
    return "Checkpoint[" + origin + " size " + size + " root " + rootHex() + "]";
  }
}
