package dev.privacykit.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.Statement;

class KeyringDatabaseTest {
  private static final RootKey ROOT = RootKeys.ephemeral();
  private static final byte[] VALUE = "+44 20 7946 0000".getBytes(StandardCharsets.UTF_8);

  @DatabaseTest
  void twoProcesses_shareTheKeyring_andSeeRotations(TestDatabase test) throws Exception {
    clear(test);
    Keyring first = Keyring.open(test.database(), ROOT);
    try (Database otherPool = test.openAnother()) {
      Keyring second = Keyring.open(otherPool, ROOT);
      assertThat(second.primary()).isEqualTo(first.primary());
      FieldContext context = FieldContext.of("acme", "customers", "phone", "7");
      byte[] before = FieldCipher.randomized(first).encrypt(VALUE, context);

      KeyVersion rotated = first.rotate();
      byte[] after = FieldCipher.randomized(first).encrypt(VALUE, context);
      // the other process has never seen the new key: it refreshes when a ciphertext names it
      FieldCipher secondCipher = FieldCipher.randomized(second);
      assertThat(secondCipher.decrypt(after, context)).isEqualTo(VALUE);
      assertThat(secondCipher.decrypt(before, context)).isEqualTo(VALUE);
      assertThat(second.primary().id()).isEqualTo(rotated.id());
      assertThat(second.versions()).hasSize(2);
    }
  }

  @DatabaseTest
  void wrongRootKey_isNamed(TestDatabase test) throws Exception {
    clear(test);
    Keyring.open(test.database(), ROOT);
    RootKey other = RootKeys.ephemeral();
    assertThatThrownBy(() -> Keyring.open(test.database(), other))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("was wrapped by root key " + ROOT.id())
        .hasMessageEndingWith("but the configured root key is " + other.id());
  }

  @DatabaseTest
  void usageBudget_holdsAcrossProcesses(TestDatabase test) throws Exception {
    clear(test);
    FieldContext context = FieldContext.of("acme", "customers", "phone", "7");
    FieldCipher first =
        FieldCipher.randomized(Keyring.open(test.database(), ROOT, c -> c.usageBudget(5)));
    for (int i = 0; i < 5; i++) {
      first.encrypt(VALUE, context);
    }
    assertThatThrownBy(() -> first.encrypt(VALUE, context))
        .isInstanceOf(UsageBudgetSpentException.class)
        .hasMessageEndingWith(
            "has reached its usage budget of 5 encryptions for tenant acme; rotate the keyring");
    // a restarted process finds the budget spent too
    FieldCipher restarted =
        FieldCipher.randomized(Keyring.open(test.database(), ROOT, c -> c.usageBudget(5)));
    assertThatThrownBy(() -> restarted.encrypt(VALUE, context))
        .hasMessageEndingWith("rotate the keyring");
  }

  @DatabaseTest
  void usageBudget_isPerTenant_soOneTenantCannotSpendAnothers(TestDatabase test) throws Exception {
    clear(test);
    FieldContext acme = FieldContext.of("acme", "customers", "phone", "7");
    FieldContext globex = FieldContext.of("globex", "customers", "phone", "7");
    Keyring keyring = Keyring.open(test.database(), ROOT, c -> c.usageBudget(3));
    FieldCipher cipher = FieldCipher.randomized(keyring);
    FieldCipher deterministic = FieldCipher.deterministic(keyring);
    cipher.encrypt(VALUE, acme);
    cipher.encrypt(VALUE, acme);
    deterministic.encrypt(VALUE, FieldContext.forColumn("acme", "customers", "email"));
    assertThatThrownBy(() -> cipher.encrypt(VALUE, acme))
        .isInstanceOfSatisfying(
            UsageBudgetSpentException.class, e -> assertThat(e.tenant()).isEqualTo("acme"));
    // globex has its own budget under the same key, in this process and in another
    byte[] stored = cipher.encrypt(VALUE, globex);
    try (Database otherPool = test.openAnother()) {
      FieldCipher other =
          FieldCipher.randomized(Keyring.open(otherPool, ROOT, c -> c.usageBudget(3)));
      assertThatThrownBy(() -> other.encrypt(VALUE, acme))
          .isInstanceOf(UsageBudgetSpentException.class);
      other.encrypt(VALUE, FieldContext.of("initech", "customers", "phone", "7"));
      // a spent budget stops encryption, never decryption
      assertThat(other.decrypt(stored, globex)).isEqualTo(VALUE);
    }
    // rotation gives every tenant a fresh budget under the new key
    keyring.rotate();
    cipher.encrypt(VALUE, acme);
  }

  @DatabaseTest
  void usageBudget_countsWhatAKeyReservedBeforeBudgetsWerePerTenant(TestDatabase test)
      throws Exception {
    clear(test);
    Keyring keyring = Keyring.open(test.database(), ROOT, c -> c.usageBudget(4));
    try (Connection connection = test.ownerConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("UPDATE crypto_keyring SET reserved = 3");
    }
    FieldCipher cipher = FieldCipher.randomized(keyring);
    // a block is min(2^20, budget) = 4: 3 + 4 > 4, so no tenant may start under the old key
    assertThatThrownBy(() -> cipher.encrypt(VALUE, FieldContext.of("acme", "t", "c", "1")))
        .isInstanceOf(UsageBudgetSpentException.class);
  }

  @DatabaseTest
  void destroy_removesTheOldKeyEverywhere(TestDatabase test) throws Exception {
    clear(test);
    Keyring keyring = Keyring.open(test.database(), ROOT);
    KeyVersion old = keyring.primary();
    keyring.rotate();
    assertThat(keyring.destroy(old.id())).isTrue();
    assertThat(keyring.destroy(old.id())).isFalse();
    assertThat(Keyring.open(test.database(), ROOT).versions()).hasSize(1);
  }

  private static void clear(TestDatabase test) throws Exception {
    try (Connection connection = test.ownerConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("DELETE FROM crypto_keyring");
    }
  }
}
