package dev.privacykit.crypto;

import dev.privacykit.crypto.internal.Bytes;
import java.time.Instant;

/**
 * One key of a {@link Keyring}, described without its bytes.
 *
 * @param id the 32-bit id written into every envelope the key makes
 * @param primary whether new ciphertexts are made with it; the others only decrypt
 * @param createdAt when the key was made
 */
public record KeyVersion(int id, boolean primary, Instant createdAt) {
  /** The id as eight hex digits. */
  public String idHex() {
    return Bytes.keyIdHex(id);
  }
}
