package dev.privacykit.crypto.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES-SIV, RFC 5297: deterministic authenticated encryption with a vector of associated data. S2V
 * uses Bouncy Castle's AES-CMAC; the CTR pass uses the JDK's AES (AES-NI). Output is {@code V || C}
 * as in the RFC. Keys are 32 bytes (AES-128-SIV) or 64 bytes (AES-256-SIV). Not API.
 *
 * <p>Thread-safe: every call builds its own MAC and takes a per-thread CTR cipher.
 */
public final class AesSiv {
  private static final int BLOCK = 16;
  private static final byte[] ZERO = new byte[BLOCK];
  private static final ThreadLocal<Cipher> CTR =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/CTR/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("AES/CTR is missing from this JDK", e);
            }
          });

  private final byte[] macKey;
  private final SecretKeySpec ctrKey;

  /** A SIV instance for a 32- or 64-byte key. */
  public AesSiv(byte[] key) {
    if (key.length != 32 && key.length != 64) {
      throw new IllegalArgumentException("AES-SIV key must be 32 or 64 bytes, was " + key.length);
    }
    int half = key.length / 2;
    this.macKey = Arrays.copyOfRange(key, 0, half);
    this.ctrKey = new SecretKeySpec(Arrays.copyOfRange(key, half, key.length), "AES");
  }

  /** Encrypts {@code plaintext}; returns {@code V || C}. */
  public byte[] encrypt(byte[] plaintext, byte[]... associatedData)
      throws GeneralSecurityException {
    byte[] v = s2v(associatedData, plaintext);
    byte[] out = new byte[BLOCK + plaintext.length];
    System.arraycopy(v, 0, out, 0, BLOCK);
    ctr(v, plaintext, 0, plaintext.length, out, BLOCK);
    return out;
  }

  /**
   * Decrypts {@code V || C}.
   *
   * @throws GeneralSecurityException "decryption failed" when the input was altered or the key or
   *     associated data differ
   */
  public byte[] decrypt(byte[] sivAndCiphertext, byte[]... associatedData)
      throws GeneralSecurityException {
    if (sivAndCiphertext.length < BLOCK) {
      throw new GeneralSecurityException("decryption failed");
    }
    byte[] v = Arrays.copyOfRange(sivAndCiphertext, 0, BLOCK);
    byte[] plaintext = new byte[sivAndCiphertext.length - BLOCK];
    ctr(v, sivAndCiphertext, BLOCK, plaintext.length, plaintext, 0);
    byte[] expected = s2v(associatedData, plaintext);
    if (!MessageDigest.isEqual(expected, v)) {
      Arrays.fill(plaintext, (byte) 0);
      throw new GeneralSecurityException("decryption failed");
    }
    return plaintext;
  }

  private void ctr(byte[] v, byte[] in, int inOffset, int length, byte[] out, int outOffset)
      throws GeneralSecurityException {
    byte[] q = v.clone();
    q[8] &= 0x7f;
    q[12] &= 0x7f;
    Cipher cipher = CTR.get();
    cipher.init(Cipher.ENCRYPT_MODE, ctrKey, new IvParameterSpec(q));
    if (length > 0) {
      cipher.doFinal(in, inOffset, length, out, outOffset);
    }
  }

  private byte[] s2v(byte[][] associatedData, byte[] plaintext) {
    CMac mac = new CMac(AESEngine.newInstance());
    mac.init(new KeyParameter(macKey));
    byte[] d = cmac(mac, ZERO);
    for (byte[] ad : associatedData) {
      d = xor(dbl(d), cmac(mac, ad));
    }
    byte[] t;
    if (plaintext.length >= BLOCK) {
      t = plaintext.clone();
      int offset = t.length - BLOCK;
      for (int i = 0; i < BLOCK; i++) {
        t[offset + i] ^= d[i];
      }
    } else {
      byte[] padded = new byte[BLOCK];
      System.arraycopy(plaintext, 0, padded, 0, plaintext.length);
      padded[plaintext.length] = (byte) 0x80;
      t = xor(dbl(d), padded);
    }
    return cmac(mac, t);
  }

  private static byte[] cmac(CMac mac, byte[] data) {
    mac.update(data, 0, data.length);
    byte[] out = new byte[BLOCK];
    mac.doFinal(out, 0);
    return out;
  }

  private static byte[] dbl(byte[] block) {
    byte[] out = new byte[BLOCK];
    int carry = 0;
    for (int i = BLOCK - 1; i >= 0; i--) {
      int b = block[i] & 0xff;
      out[i] = (byte) ((b << 1) | carry);
      carry = b >>> 7;
    }
    if (carry != 0) {
      out[BLOCK - 1] ^= (byte) 0x87;
    }
    return out;
  }

  private static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }
}
