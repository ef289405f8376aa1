package dev.privacykit.audit;

import dev.privacykit.audit.internal.Ed25519;
import dev.privacykit.audit.internal.Merkle;
import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.SigningKeys;
import dev.privacykit.storage.Database;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The Ed25519 key that signs checkpoints, as a C2SP signed-note signer. Its {@link #verifierKey()}
 * is what auditors keep to check checkpoints and proofs without the database.
 *
 * <h2>Security</h2>
 *
 * The private key never leaves this object. {@link #open} keeps it in the database wrapped by the
 * {@link RootKey}, so every service instance signs with the same key; {@link #generate} keeps it in
 * memory (tests, or a signer whose public key you publish yourself).
 *
 * <p>Immutable and thread-safe.
 */
public final class CheckpointSigner {
  private static final SigningKeys.Table TABLE =
      new SigningKeys.Table("audit_signing_keys", "public_key", "privacykit/audit-signing-key/v1");
  private final String name;
  private final byte[] seed;
  private final byte[] publicKey;
  private final byte[] keyId;

  private CheckpointSigner(String name, byte[] seed) {
    this.name = checkName(name);
    this.seed = seed.clone();
    this.publicKey = Ed25519.publicKey(seed);
    this.keyId = keyId(name, publicKey);
  }

  /** A new random signer named {@code name} (such as {@code audit.example.com/log}). */
  public static CheckpointSigner generate(String name) {
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    return new CheckpointSigner(name, seed);
  }

  /**
   * The signer named {@code name} stored in {@code database}, made on first use and wrapped by
   * {@code rootKey}.
   */
  public static CheckpointSigner open(Database database, RootKey rootKey, String name)
      throws GeneralSecurityException {
    checkName(name);
    return SigningKeys.getOrCreate(
        database,
        rootKey,
        TABLE,
        name,
        new SigningKeys.Codec<>() {
          @Override
          public CheckpointSigner generate() {
            return CheckpointSigner.generate(name);
          }

          @Override
          public byte[] privateBytes(CheckpointSigner signer) {
            return signer.seed.clone();
          }

          @Override
          public Object publicValue(CheckpointSigner signer) {
            return signer.publicKey.clone();
          }

          @Override
          public CheckpointSigner restore(byte[] seed, Object publicValue) {
            return new CheckpointSigner(name, seed);
          }
        });
  }

  /** The key name, which appears in every signature line. */
  public String name() {
    return name;
  }

  /** The verifier key in C2SP signed-note form: {@code name+keyid+base64(0x01 || public key)}. */
  public String verifierKey() {
    byte[] typed = new byte[33];
    typed[0] = 1;
    System.arraycopy(publicKey, 0, typed, 1, 32);
    return name
        + "+"
        + java.util.HexFormat.of().formatHex(keyId)
        + "+"
        + Base64.getEncoder().encodeToString(typed);
  }

  /** Signs a note's text and returns the whole signed note. */
  String signNote(String text) {
    byte[] signature = Ed25519.sign(seed, text.getBytes(StandardCharsets.UTF_8));
    byte[] blob = new byte[4 + 64];
    System.arraycopy(keyId, 0, blob, 0, 4);
    System.arraycopy(signature, 0, blob, 4, 64);
    return text + "\n\u2014 " + name + " " + Base64.getEncoder().encodeToString(blob) + "\n";
  }

  static byte[] keyId(String name, byte[] publicKey) {
    byte[] prefix = (name + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] input = new byte[prefix.length + 1 + publicKey.length];
    System.arraycopy(prefix, 0, input, 0, prefix.length);
    input[prefix.length] = 1;
    System.arraycopy(publicKey, 0, input, prefix.length + 1, publicKey.length);
    return Arrays.copyOf(Merkle.sha256(input), 4);
  }

  private static String checkName(String name) {
    if (name == null || name.isEmpty() || name.length() > 200 || !name.matches("[^\\s+]+")) {
      throw new IllegalArgumentException(
          "a signer name is 1 to 200 characters without spaces or '+'");
    }
    return name;
  }
}
