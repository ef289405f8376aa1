package dev.privacykit.crypto;

import dev.privacykit.crypto.internal.AesSiv;
import dev.privacykit.crypto.internal.Bytes;
import dev.privacykit.crypto.internal.Gcm;
import dev.privacykit.crypto.internal.KeyMaterial;
import dev.privacykit.crypto.internal.KeySource;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Encrypts and decrypts field values, always bound to a {@link FieldContext}.
 *
 * <p>Two modes. {@link #randomized(Keyring)}: AES-256-GCM with a fresh random 12-byte nonce, for
 * any field. {@link #deterministic(Keyring)}: AES-256-SIV (RFC 5297), where equal plaintexts in one
 * column give equal ciphertexts, for values that must be unique or joined; it reveals equality, so
 * use it only where that is the point. Each (key, tenant, table, column) has its own subkey,
 * derived with HKDF-SHA256.
 *
 * <p>Envelope: {@code version(1)=1 | suite(1) | keyId(4) | nonce | ciphertext | tag(16)}, where the
 * nonce is 12 bytes for GCM (suite 1) and absent for SIV (suite 2, whose tag is the synthetic IV).
 * The header is authenticated along with the context. {@link #encryptToString} gives the base64url
 * text form.
 *
 * <h2>Security</h2>
 *
 * Every decryption failure, whatever its cause (altered byte, other row, other key, unknown key,
 * malformed input), throws {@link GeneralSecurityException} with the message "decryption failed".
 * Each key encrypts at most its usage budget for each tenant (see {@link
 * KeyringConfig#usageBudget}), far below GCM's 2^32 random-nonce limit; then encryption for that
 * tenant fails with {@link UsageBudgetSpentException} until the keyring is rotated.
 *
 * <p>Thread-safe; cheap to share.
 */
public final class FieldCipher {
  static final byte VERSION = 1;
  static final byte SUITE_GCM = 1;
  static final byte SUITE_SIV = 2;
  private static final int GCM_HEADER = 6 + Gcm.NONCE;
  private static final int SIV_HEADER = 6;
  private static final int TAG = 16;
  private static final String FAILED = "decryption failed";

  /** How a cipher encrypts. */
  public enum Mode {
    /** AES-256-GCM, random nonce: equal values encrypt differently. */
    RANDOMIZED,
    /** AES-256-SIV: equal values in a column encrypt alike. */
    DETERMINISTIC
  }

  private final KeySource keys;
  private final Mode mode;

  FieldCipher(KeySource keys, Mode mode) {
    this.keys = keys;
    this.mode = mode;
  }

  /** A randomized (AES-256-GCM) cipher on the keyring's keys. */
  public static FieldCipher randomized(Keyring keyring) {
    return new FieldCipher(keyring.source(), Mode.RANDOMIZED);
  }

  /** A deterministic (AES-256-SIV) cipher on the keyring's keys. */
  public static FieldCipher deterministic(Keyring keyring) {
    return new FieldCipher(keyring.source(), Mode.DETERMINISTIC);
  }

  /** This cipher's mode. */
  public Mode mode() {
    return mode;
  }

  /**
   * Encrypts {@code plaintext} for {@code context} under the primary key.
   *
   * @throws IllegalArgumentException if randomized mode is given a column context
   * @throws UsageBudgetSpentException if the tenant's usage budget under the primary key is spent
   */
  public byte[] encrypt(byte[] plaintext, FieldContext context) throws GeneralSecurityException {
    KeyMaterial key = keys.primary();
    KeyMaterial.Scope scope = context.scope();
    if (mode == Mode.RANDOMIZED) {
      if (!context.hasRow()) {
        throw new IllegalArgumentException(
            "randomized encryption needs a row or subject id in its context");
      }
      key.countEncryption(context.tenant());
      byte[] out = new byte[GCM_HEADER + plaintext.length + TAG];
      header(out, SUITE_GCM, key.id());
      Gcm.randomNonce(out, 6);
      Gcm.seal(
          key.gcmKey(scope), out, 6, plaintext, GCM_HEADER, out, GCM_HEADER, context.rowIdBytes());
      return out;
    }
    key.countEncryption(context.tenant());
    byte[] header = new byte[SIV_HEADER];
    header(header, SUITE_SIV, key.id());
    byte[] sivAndCiphertext = key.sivKey(scope).encrypt(plaintext, header, context.rowIdBytes());
    // RFC 5297 returns V || C; the envelope keeps the tag last: header | C | V.
    byte[] out = new byte[SIV_HEADER + sivAndCiphertext.length];
    System.arraycopy(header, 0, out, 0, SIV_HEADER);
    System.arraycopy(sivAndCiphertext, TAG, out, SIV_HEADER, plaintext.length);
    System.arraycopy(sivAndCiphertext, 0, out, SIV_HEADER + plaintext.length, TAG);
    return out;
  }

  /**
   * Decrypts an envelope made for {@code context}.
   *
   * @throws GeneralSecurityException "decryption failed", whatever went wrong
   */
  public byte[] decrypt(byte[] ciphertext, FieldContext context) throws GeneralSecurityException {
    if (ciphertext == null || ciphertext.length < SIV_HEADER + TAG || ciphertext[0] != VERSION) {
      throw new GeneralSecurityException(FAILED);
    }
    byte suite = ciphertext[1];
    KeyMaterial key = keys.find(Bytes.getInt(ciphertext, 2));
    if (key == null || suite != suiteOf(mode)) {
      throw new GeneralSecurityException(FAILED);
    }
    KeyMaterial.Scope scope = context.scope();
    if (suite == SUITE_GCM) {
      if (ciphertext.length < GCM_HEADER + TAG) {
        throw new GeneralSecurityException(FAILED);
      }
      return Gcm.open(
          key.gcmKey(scope),
          ciphertext,
          6,
          GCM_HEADER,
          ciphertext.length - GCM_HEADER,
          GCM_HEADER,
          context.rowIdBytes());
    }
    int bodyLength = ciphertext.length - SIV_HEADER - TAG;
    byte[] sivAndCiphertext = new byte[TAG + bodyLength];
    System.arraycopy(ciphertext, SIV_HEADER + bodyLength, sivAndCiphertext, 0, TAG);
    System.arraycopy(ciphertext, SIV_HEADER, sivAndCiphertext, TAG, bodyLength);
    byte[] header = java.util.Arrays.copyOfRange(ciphertext, 0, SIV_HEADER);
    AesSiv siv = key.sivKey(scope);
    return siv.decrypt(sivAndCiphertext, header, context.rowIdBytes());
  }

  /** Encrypts UTF-8 text and returns the envelope as base64url. */
  public String encryptToString(String plaintext, FieldContext context)
      throws GeneralSecurityException {
    return Bytes.toBase64Url(encrypt(plaintext.getBytes(StandardCharsets.UTF_8), context));
  }

  /**
   * Decrypts the base64url text form back to the UTF-8 text.
   *
   * @throws GeneralSecurityException "decryption failed", also when the text is not base64url
   */
  public String decryptString(String ciphertext, FieldContext context)
      throws GeneralSecurityException {
    return new String(decrypt(decode(ciphertext), context), StandardCharsets.UTF_8);
  }

  /**
   * Whether the ciphertext was made with a key other than the current primary (or is not an
   * envelope of this cipher's suite), answered from the header without decrypting.
   */
  public boolean needsReEncryption(byte[] ciphertext) {
    if (ciphertext == null || ciphertext.length < SIV_HEADER || ciphertext[0] != VERSION) {
      return true;
    }
    try {
      return ciphertext[1] != suiteOf(mode) || Bytes.getInt(ciphertext, 2) != keys.primary().id();
    } catch (GeneralSecurityException e) {
      return true;
    }
  }

  /** {@link #needsReEncryption(byte[])} for the base64url text form. */
  public boolean needsReEncryption(String ciphertext) {
    try {
      return needsReEncryption(decode(ciphertext));
    } catch (GeneralSecurityException e) {
      return true;
    }
  }

  /** {@link #rewrap(byte[], FieldContext)} on the base64url text form. */
  public String rewrapString(String ciphertext, FieldContext context)
      throws GeneralSecurityException {
    byte[] envelope = decode(ciphertext);
    byte[] rewrapped = rewrap(envelope, context);
    return rewrapped == envelope ? ciphertext : Bytes.toBase64Url(rewrapped);
  }

  /**
   * Decrypts with whatever key made the ciphertext and encrypts again under the primary key, for
   * the same context. Returns the input itself when it already uses the primary key. Either way the
   * ciphertext is authenticated first, exactly as {@link #decrypt} does: a tampered or moved one
   * fails with "decryption failed", never comes back as if it were fine.
   */
  public byte[] rewrap(byte[] ciphertext, FieldContext context) throws GeneralSecurityException {
    byte[] plaintext = decrypt(ciphertext, context);
    try {
      return needsReEncryption(ciphertext) ? encrypt(plaintext, context) : ciphertext;
    } finally {
      java.util.Arrays.fill(plaintext, (byte) 0);
    }
  }

  /** The id of the key that made an envelope, read from its header. */
  public static int keyIdOf(byte[] ciphertext) throws GeneralSecurityException {
    if (ciphertext == null || ciphertext.length < SIV_HEADER || ciphertext[0] != VERSION) {
      throw new GeneralSecurityException("not a PrivacyKit field envelope");
    }
    return Bytes.getInt(ciphertext, 2);
  }

  private static byte[] decode(String text) throws GeneralSecurityException {
    try {
      return Bytes.fromBase64Url(text);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new GeneralSecurityException(FAILED);
    }
  }

  private static byte suiteOf(Mode mode) {
    return mode == Mode.RANDOMIZED ? SUITE_GCM : SUITE_SIV;
  }

  private static void header(byte[] out, byte suite, int keyId) {
    out[0] = VERSION;
    out[1] = suite;
    Bytes.putInt(out, 2, keyId);
  }
}
