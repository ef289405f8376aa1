package dev.privacykit.crypto.internal;

import java.security.GeneralSecurityException;
import javax.crypto.SecretKey;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.RFC5649WrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Key wrapping. {@link #wrap}/{@link #unwrap}: AES-256-GCM with a random nonce and the key's
 * identity as associated data (a wrapped key copied to another identity does not unwrap). {@link
 * #wrapKwp}/{@link #unwrapKwp}: AES key wrap with padding (RFC 5649), for the passphrase-protected
 * key file. Not API.
 */
public final class KeyWrap {
  private static final byte VERSION = 1;

  private KeyWrap() {}

  /** {@code version(1) | nonce(12) | ciphertext | tag(16)}. */
  public static byte[] wrap(SecretKey kek, byte[] key, byte[] context)
      throws GeneralSecurityException {
    byte[] out = new byte[1 + Gcm.NONCE + key.length + Gcm.TAG];
    out[0] = VERSION;
    Gcm.randomNonce(out, 1);
    Gcm.seal(kek, out, 1, key, 1 + Gcm.NONCE, out, 1 + Gcm.NONCE, context);
    return out;
  }

  /**
   * Reverses {@link #wrap}.
   *
   * @throws GeneralSecurityException "decryption failed" if the KEK or the context differ
   */
  public static byte[] unwrap(SecretKey kek, byte[] wrapped, byte[] context)
      throws GeneralSecurityException {
    if (wrapped.length < 1 + Gcm.NONCE + Gcm.TAG || wrapped[0] != VERSION) {
      throw new GeneralSecurityException("decryption failed");
    }
    return Gcm.open(
        kek, wrapped, 1, 1 + Gcm.NONCE, wrapped.length - 1 - Gcm.NONCE, 1 + Gcm.NONCE, context);
  }

  /** RFC 5649 AES key wrap with padding. */
  public static byte[] wrapKwp(byte[] kek, byte[] key) {
    RFC5649WrapEngine engine = new RFC5649WrapEngine(AESEngine.newInstance());
    engine.init(true, new KeyParameter(kek));
    return engine.wrap(key, 0, key.length);
  }

  /**
   * RFC 5649 unwrap.
   *
   * @throws GeneralSecurityException if the integrity check fails (wrong KEK or altered input)
   */
  public static byte[] unwrapKwp(byte[] kek, byte[] wrapped) throws GeneralSecurityException {
    RFC5649WrapEngine engine = new RFC5649WrapEngine(AESEngine.newInstance());
    engine.init(false, new KeyParameter(kek));
    try {
      return engine.unwrap(wrapped, 0, wrapped.length);
    } catch (InvalidCipherTextException e) {
      throw new GeneralSecurityException("key unwrap failed");
    }
  }
}
