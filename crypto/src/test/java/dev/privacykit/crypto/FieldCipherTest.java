package dev.privacykit.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class FieldCipherTest {
  private static final FieldContext ROW = FieldContext.of("acme", "customers", "email", "42");
  private static final byte[] VALUE = "alice@example.com".getBytes(StandardCharsets.UTF_8);

  private final Keyring keyring = Keyring.inMemory();
  private final FieldCipher randomized = FieldCipher.randomized(keyring);
  private final FieldCipher deterministic = FieldCipher.deterministic(keyring);

  @Test
  void randomized_roundTrips_andNeverRepeats() throws Exception {
    byte[] a = randomized.encrypt(VALUE, ROW);
    byte[] b = randomized.encrypt(VALUE, ROW);
    assertThat(a).isNotEqualTo(b);
    assertThat(randomized.decrypt(a, ROW)).isEqualTo(VALUE);
    assertThat(a).hasSize(1 + 1 + 4 + 12 + VALUE.length + 16);
    assertThat(a[0]).isEqualTo((byte) 1);
    assertThat(a[1]).isEqualTo((byte) 1);
    assertThat(FieldCipher.keyIdOf(a)).isEqualTo(keyring.primary().id());
  }

  @Test
  void deterministic_equalValuesInAColumn_encryptAlike() throws Exception {
    FieldContext column = FieldContext.forColumn("acme", "customers", "national_id");
    byte[] a = deterministic.encrypt(VALUE, column);
    assertThat(deterministic.encrypt(VALUE, column)).isEqualTo(a);
    assertThat(deterministic.decrypt(a, column)).isEqualTo(VALUE);
    assertThat(a).hasSize(1 + 1 + 4 + VALUE.length + 16);
    FieldContext otherColumn = FieldContext.forColumn("acme", "customers", "tax_id");
    assertThat(deterministic.encrypt(VALUE, otherColumn)).isNotEqualTo(a);
  }

  @Test
  void randomized_columnContext_isRefused() {
    assertThatThrownBy(
            () -> randomized.encrypt(VALUE, FieldContext.forColumn("acme", "customers", "email")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("randomized encryption needs a row or subject id in its context");
  }

  @Test
  void decrypt_everyAlteredByte_failsWithTheSameMessage() throws Exception {
    for (FieldCipher cipher : List.of(randomized, deterministic)) {
      FieldContext context =
          cipher == randomized ? ROW : FieldContext.forColumn("acme", "customers", "email");
      byte[] ciphertext = cipher.encrypt(VALUE, context);
      for (int i = 0; i < ciphertext.length; i++) {
        for (int bit = 0; bit < 8; bit++) {
          byte[] altered = ciphertext.clone();
          altered[i] ^= (byte) (1 << bit);
          assertThatThrownBy(() -> cipher.decrypt(altered, context))
              .as("byte %d bit %d", i, bit)
              .isInstanceOf(GeneralSecurityException.class)
              .hasMessage("decryption failed");
        }
      }
    }
  }

  @Test
  void decrypt_inAnotherContext_fails() throws Exception {
    byte[] ciphertext = randomized.encrypt(VALUE, ROW);
    for (FieldContext other :
        List.of(
            FieldContext.of("globex", "customers", "email", "42"),
            FieldContext.of("acme", "suppliers", "email", "42"),
            FieldContext.of("acme", "customers", "phone", "42"),
            FieldContext.of("acme", "customers", "email", "43"))) {
      assertThatThrownBy(() -> randomized.decrypt(ciphertext, other))
          .as(other.toString())
          .hasMessage("decryption failed");
    }
  }

  @Test
  void decrypt_truncatedGarbageOrOtherMode_fails() throws Exception {
    byte[] ciphertext = randomized.encrypt(VALUE, ROW);
    for (byte[] bad :
        List.of(
            new byte[0],
            new byte[] {1},
            java.util.Arrays.copyOf(ciphertext, 20),
            java.util.Arrays.copyOf(ciphertext, ciphertext.length - 1),
            new byte[64])) {
      assertThatThrownBy(() -> randomized.decrypt(bad, ROW)).hasMessage("decryption failed");
    }
    assertThatThrownBy(() -> deterministic.decrypt(ciphertext, ROW))
        .hasMessage("decryption failed");
    assertThatThrownBy(() -> randomized.decrypt(null, ROW)).hasMessage("decryption failed");
    assertThatThrownBy(() -> randomized.decryptString("not base64!", ROW))
        .hasMessage("decryption failed");
  }

  @Test
  void otherKeyring_cannotDecrypt() throws Exception {
    byte[] ciphertext = randomized.encrypt(VALUE, ROW);
    FieldCipher stranger = FieldCipher.randomized(Keyring.inMemory());
    assertThatThrownBy(() -> stranger.decrypt(ciphertext, ROW)).hasMessage("decryption failed");
  }

  @Test
  void textForm_isBase64UrlAndRoundTrips() throws Exception {
    String text = randomized.encryptToString("Ünïcødé ✓", ROW);
    assertThat(text).matches("[A-Za-z0-9_-]+");
    assertThat(randomized.decryptString(text, ROW)).isEqualTo("Ünïcødé ✓");
  }

  @Test
  void rotate_oldCiphertextsDecrypt_andReportNeedsReEncryption() throws Exception {
    byte[] old = randomized.encrypt(VALUE, ROW);
    KeyVersion first = keyring.primary();
    KeyVersion second = keyring.rotate();
    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(keyring.versions()).extracting(KeyVersion::primary).containsExactly(false, true);
    assertThat(randomized.decrypt(old, ROW)).isEqualTo(VALUE);
    assertThat(randomized.needsReEncryption(old)).isTrue();
    byte[] fresh = randomized.encrypt(VALUE, ROW);
    assertThat(randomized.needsReEncryption(fresh)).isFalse();
    byte[] rewrapped = randomized.rewrap(old, ROW);
    assertThat(FieldCipher.keyIdOf(rewrapped)).isEqualTo(second.id());
    assertThat(randomized.decrypt(rewrapped, ROW)).isEqualTo(VALUE);
    assertThat(randomized.rewrap(rewrapped, ROW)).isSameAs(rewrapped);

    assertThat(keyring.destroy(first.id())).isTrue();
    assertThatThrownBy(() -> randomized.decrypt(old, ROW)).hasMessage("decryption failed");
    assertThatThrownBy(() -> keyring.destroy(second.id()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("is the primary key");
  }

  @Test
  void rewrap_ofACurrentCiphertext_stillAuthenticatesIt() throws Exception {
    byte[] current = randomized.encrypt(VALUE, ROW);
    byte[] altered = current.clone();
    altered[altered.length - 1] ^= 1;
    assertThatThrownBy(() -> randomized.rewrap(altered, ROW))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessage("decryption failed");
    FieldContext otherRow = FieldContext.of("acme", "customers", "email", "43");
    assertThatThrownBy(() -> randomized.rewrap(current, otherRow))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessage("decryption failed");
    String text = randomized.encryptToString("alice@example.com", ROW);
    assertThat(randomized.rewrapString(text, ROW)).isSameAs(text);
  }

  @Test
  void usageBudget_spent_forcesRotation() throws Exception {
    Keyring small = Keyring.inMemory(config -> config.usageBudget(3));
    FieldCipher cipher = FieldCipher.randomized(small);
    for (int i = 0; i < 3; i++) {
      cipher.encrypt(VALUE, ROW);
    }
    assertThatThrownBy(() -> cipher.encrypt(VALUE, ROW))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessage(
            "key "
                + small.primary().idHex()
                + " has reached its usage budget of 3 encryptions for tenant acme; rotate the keyring");
    small.rotate();
    assertThat(cipher.decrypt(cipher.encrypt(VALUE, ROW), ROW)).isEqualTo(VALUE);
  }

  @Test
  void context_rejectsBlankAndOversizedParts() {
    assertThatThrownBy(() -> FieldContext.of(" ", "t", "c", "r"))
        .hasMessage("tenant must not be blank");
    assertThatThrownBy(() -> FieldContext.of("a", "t", "c", null))
        .hasMessageStartingWith("rowId must not be null");
    assertThatThrownBy(() -> FieldContext.of("a", "t", "c", "r".repeat(257)))
        .hasMessage("rowId must be at most 256 characters, was 257");
    assertThat(FieldContext.of("a", "t", "c", "secret-row").toString())
        .doesNotContain("secret-row");
  }

  @Test
  void concurrentUse_fromManyThreads_isCorrect() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 2_000; i++) {
                    FieldContext context =
                        FieldContext.of("acme", "t", "c" + (i % 3), thread + ":" + i);
                    byte[] value = (thread + "/" + i).getBytes(StandardCharsets.UTF_8);
                    byte[] r = randomized.encrypt(value, context);
                    byte[] d = deterministic.encrypt(value, context);
                    assertThat(randomized.decrypt(r, context)).isEqualTo(value);
                    assertThat(deterministic.decrypt(d, context)).isEqualTo(value);
                    if (thread == 0 && i == 1_000) {
                      keyring.rotate();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
