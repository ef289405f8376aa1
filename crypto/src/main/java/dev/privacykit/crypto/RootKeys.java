package dev.privacykit.crypto;

import dev.privacykit.crypto.internal.Bytes;
import dev.privacykit.crypto.internal.Gcm;
import dev.privacykit.crypto.internal.KeyFile;
import dev.privacykit.crypto.internal.KeyWrap;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;

/**
 * The root keys PrivacyKit ships. Each wraps with AES-256-GCM, the context authenticated.
 *
 * <ul>
 *   <li>{@link #createKeyFile} / {@link #fromKeyFile}: a random root key stored in a file, wrapped
 *       with AES key wrap (RFC 5649) under a key derived from a passphrase with Argon2id; the file
 *       must be readable by its owner only.
 *   <li>{@link #fromEnvironment}: 32 bytes, base64, from an environment variable (for platforms
 *       that inject secrets that way).
 *   <li>{@link #ephemeral}: random and in memory; everything it wrapped is lost with the process.
 *       For tests and throwaway development runs.
 * </ul>
 */
public final class RootKeys {
  private RootKeys() {}

  /**
   * Creates a key file at {@code path} (which must not exist) holding a new random root key, with
   * owner-only permissions, and returns that key.
   *
   * @throws IOException if the file exists or cannot be written
   */
  public static RootKey createKeyFile(Path path, char[] passphrase)
      throws IOException, GeneralSecurityException {
    byte[] key = Gcm.randomBytes(32);
    try {
      KeyFile.create(path, passphrase, key);
      return local("file:" + fingerprint(key), key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * Opens the root key in a key file.
   *
   * @throws IOException if the file is missing, malformed, or readable by group or others
   * @throws GeneralSecurityException "wrong passphrase for key file ..." when the passphrase does
   *     not open it (or the file was altered)
   */
  public static RootKey fromKeyFile(Path path, char[] passphrase)
      throws IOException, GeneralSecurityException {
    byte[] key = KeyFile.open(path, passphrase);
    try {
      return local("file:" + fingerprint(key), key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * A root key from an environment variable holding 32 bytes in base64 or base64url.
   *
   * @throws GeneralSecurityException naming the variable when it is unset or not 32 bytes
   */
  public static RootKey fromEnvironment(String variable) throws GeneralSecurityException {
    return fromBase64(variable, System.getenv(variable));
  }

  static RootKey fromBase64(String variable, String value) throws GeneralSecurityException {
    if (value == null || value.isBlank()) {
      throw new GeneralSecurityException("environment variable " + variable + " is not set");
    }
    byte[] key;
    try {
      key = java.util.Base64.getDecoder().decode(value.strip().replace('-', '+').replace('_', '/'));
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException(variable + " must hold 32 bytes in base64");
    }
    if (key.length != 32) {
      throw new GeneralSecurityException(
          variable + " must hold 32 bytes in base64, found " + key.length + " bytes");
    }
    try {
      return local("env:" + variable + ":" + fingerprint(key), key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** A random root key that lives only in this process. */
  public static RootKey ephemeral() {
    byte[] key = Gcm.randomBytes(32);
    try {
      return local("ephemeral:" + fingerprint(key), key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static RootKey local(String id, byte[] key) {
    SecretKeySpec kek = new SecretKeySpec(key.clone(), "AES");
    return new RootKey() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public byte[] wrap(byte[] plaintextKey, byte[] context) throws GeneralSecurityException {
        return KeyWrap.wrap(kek, plaintextKey, context);
      }

      @Override
      public byte[] unwrap(byte[] wrapped, byte[] context) throws GeneralSecurityException {
        return KeyWrap.unwrap(kek, wrapped, context);
      }

      @Override
      public String toString() {
        return "RootKey[" + id + "]";
      }
    };
  }

  /** A public fingerprint: the first 8 bytes of SHA-256 over a label and the key. */
  private static String fingerprint(byte[] key) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(
          "privacykit/root-key-fingerprint/v1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return Bytes.hex(Arrays.copyOf(digest.digest(key), 8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
