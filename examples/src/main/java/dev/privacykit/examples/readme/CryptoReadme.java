package dev.privacykit.examples.readme;

import dev.privacykit.crypto.BlindIndex;
import dev.privacykit.crypto.FieldCipher;
import dev.privacykit.crypto.FieldContext;
import dev.privacykit.crypto.Keyring;
import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.crypto.Transform;
import dev.privacykit.storage.Database;
import java.nio.file.Path;

/** crypto/README.md's snippet, compiled and run by ReadmeSnippetsTest. */
public final class CryptoReadme {
  private CryptoReadme() {}

  /** Runs the snippet on a fresh embedded database in {@code dir}; returns the decrypted e-mail. */
  public static String run(Path dir) throws Exception {
    char[] passphrase = "correct horse battery staple".toCharArray();
    Path path = dir.resolve("root.key");
    RootKey rootKey = RootKeys.createKeyFile(path, passphrase);
    String customerId = "42";
    try (Database database = Database.embedded(dir)) {
      database.migrate();
      // readme:begin
      Keyring keyring = Keyring.open(database, RootKeys.fromKeyFile(path, passphrase));
      FieldCipher cipher = FieldCipher.randomized(keyring); // AES-256-GCM
      FieldContext where = FieldContext.of("acme", "customers", "email", customerId);
      String stored = cipher.encryptToString("alice@example.com", where); // base64url envelope
      String email = cipher.decryptString(stored, where); // fails anywhere else
      BlindIndex byEmail =
          BlindIndex.builder(keyring, "customers", "email_idx")
              .field(Transform.NORMALIZE)
              .bits(16)
              .expectedRows(1_000_000)
              .build();
      FieldCipher alice =
          SubjectKeys.open(database, rootKey).cipher("acme", "subj_8f3a"); // shred-able
      // readme:end
      if (byEmail.bits() != 16 || alice == null) {
        throw new IllegalStateException("unexpected index or cipher");
      }
      return email;
    }
  }
}
