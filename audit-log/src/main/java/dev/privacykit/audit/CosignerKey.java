package dev.privacykit.audit;

import dev.privacykit.audit.internal.Ed25519;
import dev.privacykit.audit.internal.Merkle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * A witness's public key: verifies its C2SP tlog-cosignature v1 lines (Ed25519, key ID {@code
 * SHA-256(name || "\n" || 0x04 || key)[:4]}, signature {@code u64 timestamp || Ed25519 signature}
 * over {@code "cosignature/v1\ntime <t>\n" || checkpoint body}).
 *
 * @param name the cosigner's name
 * @param publicKey the 32-byte Ed25519 public key
 */
public record CosignerKey(String name, byte[] publicKey) {
  private static final byte TYPE = 0x04;

  /** Checks the name and copies the key. */
  public CosignerKey {
    checkName(name);
    if (publicKey == null || publicKey.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
    }
    publicKey = publicKey.clone();
  }

  /**
   * Parses a verifier key {@code name+keyid+base64(0x04 || key)}.
   *
   * @throws IllegalArgumentException if it is malformed, not a cosignature key, or its key ID does
   *     not match its name and key
   */
  public static CosignerKey parse(String verifierKey) {
    String[] parts = verifierKey == null ? new String[0] : verifierKey.strip().split("\\+", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException("a witness key is name+keyid+base64(key)");
    }
    byte[] typed;
    byte[] id;
    try {
      typed = Base64.getDecoder().decode(parts[2]);
      id = HexFormat.of().parseHex(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a witness key is name+keyid+base64(key)");
    }
    if (typed.length != 33 || typed[0] != TYPE) {
      throw new IllegalArgumentException("not an Ed25519 cosignature key (type 0x04)");
    }
    CosignerKey key = new CosignerKey(parts[0], Arrays.copyOfRange(typed, 1, 33));
    if (!Arrays.equals(id, key.keyId())) {
      throw new IllegalArgumentException("the witness key's id does not match its name and key");
    }
    return key;
  }

  /** The 4-byte key ID. */
  public byte[] keyId() {
    byte[] prefix = (name + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] input = new byte[prefix.length + 1 + 32];
    System.arraycopy(prefix, 0, input, 0, prefix.length);
    input[prefix.length] = TYPE;
    System.arraycopy(publicKey, 0, input, prefix.length + 1, 32);
    return Arrays.copyOf(Merkle.sha256(input), 4);
  }

  /** {@code name+keyid+base64(0x04 || key)}. */
  public String verifierKey() {
    byte[] typed = new byte[33];
    typed[0] = TYPE;
    System.arraycopy(publicKey, 0, typed, 1, 32);
    return name
        + "+"
        + HexFormat.of().formatHex(keyId())
        + "+"
        + Base64.getEncoder().encodeToString(typed);
  }

  /**
   * The timestamp of {@code line} if it is this key's valid cosignature of {@code checkpointBody};
   * empty otherwise (another key's line, a bad signature, a malformed line).
   */
  public OptionalLong verify(String checkpointBody, String line) {
    String prefix = "\u2014 " + name + " ";
    String trimmed = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
    if (!trimmed.startsWith(prefix)) {
      return OptionalLong.empty();
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(trimmed.substring(prefix.length()));
    } catch (IllegalArgumentException e) {
      return OptionalLong.empty();
    }
    if (blob.length != 76 || !Arrays.equals(Arrays.copyOf(blob, 4), keyId())) {
      return OptionalLong.empty();
    }
    long timestamp = ByteBuffer.wrap(blob, 4, 8).getLong();
    if (timestamp < 0) {
      return OptionalLong.empty();
    }
    boolean valid =
        Ed25519.verify(
            publicKey, message(checkpointBody, timestamp), Arrays.copyOfRange(blob, 12, 76));
    return valid ? OptionalLong.of(timestamp) : OptionalLong.empty();
  }

  static byte[] message(String checkpointBody, long timestamp) {
    return ("cosignature/v1\ntime " + timestamp + "\n" + checkpointBody)
        .getBytes(StandardCharsets.UTF_8);
  }

  static void checkName(String name) {
    if (name == null || name.isEmpty() || name.length() > 200 || !name.matches("[^\\s+]+")) {
      throw new IllegalArgumentException(
          "a cosigner name is 1 to 200 characters without spaces or '+'");
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CosignerKey k
        && k.name.equals(name)
        && Arrays.equals(k.publicKey, publicKey);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "CosignerKey[" + verifierKey() + "]";
  }
}
