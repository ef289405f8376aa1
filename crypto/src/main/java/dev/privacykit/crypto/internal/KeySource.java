package dev.privacykit.crypto.internal;

import java.security.GeneralSecurityException;

/** Where a field cipher finds its keys: a keyring, or one subject's key. Not API. */
public interface KeySource {
  /** The key new ciphertexts are made with. */
  KeyMaterial primary() throws GeneralSecurityException;

  /** The key with this id, or null if there is none (unknown, destroyed or shredded). */
  KeyMaterial find(int keyId);

  /** Every key that can decrypt, the primary among them. */
  java.util.Collection<KeyMaterial> all();
}
