package dev.privacykit.audit;

import dev.privacykit.audit.internal.Ed25519;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A witness's Ed25519 key that cosigns checkpoints (C2SP tlog-cosignature v1): a timestamped
 * statement that the checkpoint is the largest consistent tree the witness has seen for its log.
 * Its {@link #verifierKey()} ({@code name+keyid+base64(0x04 || public key)}) is what logs and
 * auditors configure to trust it.
 */
public final class Cosigner {
  private final String name;
  private final byte[] seed;
  private final CosignerKey key;

  private Cosigner(String name, byte[] seed) {
    this.name = name;
    this.seed = seed.clone();
    this.key = new CosignerKey(name, Ed25519.publicKey(seed));
  }

  /**
   * A new random cosigner named {@code name} (a schema-less URL such as {@code
   * witness.example/w1}).
   */
  public static Cosigner generate(String name) {
    CosignerKey.checkName(name);
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    return new Cosigner(name, seed);
  }

  /**
   * The cosigner whose private seed is in {@code file} (base64, readable by its owner only), made
   * there on first use.
   */
  public static Cosigner load(Path file, String name) throws IOException {
    CosignerKey.checkName(name);
    if (Files.exists(file)) {
      byte[] seed =
          Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
      if (seed.length != 32) {
        throw new IOException("the cosigner key " + file + " is not a 32-byte seed");
      }
      return new Cosigner(name, seed);
    }
    Cosigner fresh = generate(name);
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temporary = Files.createTempFile(parent, "cosigner", ".tmp");
    try {
      Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system: the directory's own permissions protect it
    }
    Files.writeString(
        temporary,
        Base64.getEncoder().encodeToString(fresh.seed) + "\n",
        StandardCharsets.US_ASCII,
        StandardOpenOption.WRITE,
        StandardOpenOption.SYNC);
    Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return fresh;
  }

  /** The key name, which appears in every cosignature line. */
  public String name() {
    return name;
  }

  /** The public half, to verify this cosigner's lines. */
  public CosignerKey key() {
    return key;
  }

  /** The verifier key: {@code name+keyid+base64(0x04 || public key)}. */
  public String verifierKey() {
    return key.verifierKey();
  }

  /**
   * Cosigns a checkpoint body (origin, size and root lines, each ending in a newline) at {@code
   * timestamp} (POSIX seconds) and returns the signature line, ending in a newline.
   */
  public String cosign(String checkpointBody, long timestamp) {
    byte[] signature = Ed25519.sign(seed, CosignerKey.message(checkpointBody, timestamp));
    ByteBuffer blob = ByteBuffer.allocate(4 + 8 + 64);
    blob.put(key.keyId()).putLong(timestamp).put(signature);
    return "\u2014 " + name + " " + Base64.getEncoder().encodeToString(blob.array()) + "\n";
  }
}
