package dev.privacykit.crypto;

import java.security.GeneralSecurityException;

/**
 * The key at the top of the hierarchy: it wraps the keyring's keys and the tenant keys, and never
 * leaves its home. This is the SPI for key management services.
 *
 * <p>PrivacyKit ships local root keys ({@link RootKeys}): a passphrase-protected key file, an
 * environment variable, and an ephemeral in-memory key. A KMS plugs in by implementing the two
 * methods with the service's own wrap calls, passing {@code context} as its authenticated context:
 *
 * <ul>
 *   <li>AWS KMS: {@code Encrypt} / {@code Decrypt} with {@code EncryptionContext} = context
 *       (base64) and a symmetric key ARN as {@link #id()}.
 *   <li>Google Cloud KMS: {@code encrypt} / {@code decrypt} with {@code
 *       additionalAuthenticatedData} = context.
 *   <li>Azure Key Vault: {@code wrapKey} / {@code unwrapKey} (RSA-OAEP-256 or AES-KW); bind the
 *       context by wrapping {@code context-hash || key} and checking it on unwrap.
 *   <li>HashiCorp Vault Transit: {@code encrypt} / {@code decrypt} with {@code context} (derived
 *       keys) or {@code associated_data}.
 * </ul>
 *
 * <p>Implementations must be thread-safe, must fail closed (throw) when the service cannot be
 * reached, and must never log key bytes or contexts.
 */
public interface RootKey {

  /**
   * A stable name of this root key (a file fingerprint, a KMS key ARN). Stored beside every key it
   * wraps, so that a wrong root key is reported as such.
   */
  String id();

  /** Wraps {@code key}, authenticating {@code context}. */
  byte[] wrap(byte[] key, byte[] context) throws GeneralSecurityException;

  /**
   * Unwraps what {@link #wrap} made.
   *
   * @throws GeneralSecurityException if the wrapped key or the context was altered, or the root key
   *     differs
   */
  byte[] unwrap(byte[] wrapped, byte[] context) throws GeneralSecurityException;
}
