package dev.privacykit.crypto.internal;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM through the JDK provider (AES-NI, CLMUL), with a cached {@link Cipher} and a {@link
 * SecureRandom} per thread. Nonces are always 12 fresh random bytes. Not API.
 */
public final class Gcm {
  /** Nonce length in bytes. */
  public static final int NONCE = 12;

  /** Tag length in bytes. */
  public static final int TAG = 16;

  private static final ThreadLocal<Cipher> CIPHER =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("AES/GCM is missing from this JDK", e);
            }
          });
  private static final ThreadLocal<SecureRandom> RANDOM =
      ThreadLocal.withInitial(SecureRandom::new);

  private Gcm() {}

  /** Fills {@code out[offset, offset + NONCE)} with a fresh random nonce. */
  public static void randomNonce(byte[] out, int offset) {
    byte[] nonce = new byte[NONCE];
    RANDOM.get().nextBytes(nonce);
    System.arraycopy(nonce, 0, out, offset, NONCE);
  }

  /** Fresh random bytes from the per-thread generator. */
  public static byte[] randomBytes(int length) {
    byte[] out = new byte[length];
    RANDOM.get().nextBytes(out);
    return out;
  }

  /**
   * Encrypts {@code plaintext} into {@code out} at {@code outOffset} (ciphertext then tag), with
   * the nonce at {@code out[nonceOffset]}. Associated data: {@code out[0, headerLength)} followed
   * by {@code aadTail}.
   */
  public static void seal(
      SecretKey key,
      byte[] out,
      int nonceOffset,
      byte[] plaintext,
      int outOffset,
      byte[] header,
      int headerLength,
      byte[] aadTail)
      throws GeneralSecurityException {
    Cipher cipher = CIPHER.get();
    cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, out, nonceOffset, NONCE));
    cipher.updateAAD(aad(header, headerLength, aadTail));
    cipher.doFinal(plaintext, 0, plaintext.length, out, outOffset);
  }

  /**
   * Decrypts {@code in[offset, offset + length)} (ciphertext then tag); associated data as in
   * {@link #seal}.
   *
   * @throws GeneralSecurityException "decryption failed" on any mismatch
   */
  public static byte[] open(
      SecretKey key,
      byte[] in,
      int nonceOffset,
      int offset,
      int length,
      int headerLength,
      byte[] aadTail)
      throws GeneralSecurityException {
    if (length < TAG) {
      throw new GeneralSecurityException("decryption failed");
    }
    Cipher cipher = CIPHER.get();
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, in, nonceOffset, NONCE));
      cipher.updateAAD(aad(in, headerLength, aadTail));
      return cipher.doFinal(in, offset, length);
    } catch (AEADBadTagException e) {
      throw new GeneralSecurityException("decryption failed");
    }
  }

  /** One array, so the cipher takes the associated data in a single call. */
  private static byte[] aad(byte[] header, int headerLength, byte[] tail) {
    int tailLength = tail == null ? 0 : tail.length;
    byte[] aad = new byte[headerLength + tailLength];
    System.arraycopy(header, 0, aad, 0, headerLength);
    if (tailLength > 0) {
      System.arraycopy(tail, 0, aad, headerLength, tailLength);
    }
    return aad;
  }
}
