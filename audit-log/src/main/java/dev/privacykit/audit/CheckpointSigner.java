package dev.privacykit.audit;

import dev.privacykit.audit.internal.Ed25519;
import dev.privacykit.audit.internal.Merkle;
import dev.privacykit.crypto.RootKey;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.internal.Jdbis;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

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
    Jdbi jdbi = Jdbis.of(database);
    byte[] context = ("privacykit/audit-signing-key/v1\n" + name).getBytes(StandardCharsets.UTF_8);
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<Map<String, Object>> row =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT wrapped_key, root_key_id FROM audit_signing_keys WHERE name = :n")
                      .bind("n", name)
                      .mapToMap()
                      .findOne());
      if (row.isPresent()) {
        if (!rootKey.id().equals(row.get().get("root_key_id"))) {
          throw new GeneralSecurityException(
              "the signing key '"
                  + name
                  + "' was wrapped by root key "
                  + row.get().get("root_key_id")
                  + ", but the configured root key is "
                  + rootKey.id());
        }
        byte[] seed = rootKey.unwrap((byte[]) row.get().get("wrapped_key"), context);
        try {
          return new CheckpointSigner(name, seed);
        } finally {
          Arrays.fill(seed, (byte) 0);
        }
      }
      CheckpointSigner fresh = generate(name);
      byte[] wrapped = rootKey.wrap(fresh.seed, context);
      try {
        jdbi.useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO audit_signing_keys (name, public_key, wrapped_key, root_key_id,"
                            + " created_at) VALUES (:n, :p, :w, :r, :at)")
                    .bind("n", name)
                    .bind("p", fresh.publicKey)
                    .bind("w", wrapped)
                    .bind("r", rootKey.id())
                    .bind(
                        "at", Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC))
                    .execute());
        return fresh;
      } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
        // another process stored one first: read it
      }
    }
    throw new GeneralSecurityException("could not store the signing key '" + name + "'");
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
