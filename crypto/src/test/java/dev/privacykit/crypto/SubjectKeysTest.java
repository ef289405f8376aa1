package dev.privacykit.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

class SubjectKeysTest {
  private static final RootKey ROOT = RootKeys.ephemeral();
  private static final byte[] VALUE = "1990-04-01".getBytes(StandardCharsets.UTF_8);

  private static String subject() {
    return "subj_" + UUID.randomUUID();
  }

  @DatabaseTest
  void key_madeOnFirstUse_isFoundByAnotherProcess(TestDatabase test) throws Exception {
    String subject = subject();
    SubjectKeys keys = SubjectKeys.open(test.database(), ROOT);
    assertThat(keys.hasKey("acme", subject)).isFalse();
    FieldContext context = FieldContext.of("acme", "profiles", "birth_date", subject);
    byte[] ciphertext = keys.cipher("acme", subject).encrypt(VALUE, context);
    assertThat(keys.hasKey("acme", subject)).isTrue();
    try (Database other = test.openAnother()) {
      SubjectKeys otherKeys = SubjectKeys.open(other, ROOT);
      assertThat(otherKeys.cipher("acme", subject).decrypt(ciphertext, context)).isEqualTo(VALUE);
    }
  }

  @DatabaseTest
  void shred_makesThatSubjectUnreadable_onlyThatSubject_andIsIdempotent(TestDatabase test)
      throws Exception {
    String alice = subject();
    String bob = subject();
    SubjectKeys keys = SubjectKeys.open(test.database(), ROOT);
    FieldContext aliceContext = FieldContext.of("acme", "profiles", "birth_date", alice);
    FieldContext bobContext = FieldContext.of("acme", "profiles", "birth_date", bob);
    byte[] aliceData = keys.cipher("acme", alice).encrypt(VALUE, aliceContext);
    byte[] bobData = keys.cipher("acme", bob).encrypt(VALUE, bobContext);

    assertThat(keys.shred("acme", alice)).isTrue();
    assertThat(keys.shred("acme", alice)).isFalse();
    assertThat(keys.hasKey("acme", alice)).isFalse();

    // not this process, not a fresh one, not a new key for the same subject
    assertThatThrownBy(() -> keys.cipher("acme", alice).decrypt(aliceData, aliceContext))
        .hasMessage("decryption failed");
    try (Database other = test.openAnother()) {
      SubjectKeys fresh = SubjectKeys.open(other, ROOT);
      assertThatThrownBy(() -> fresh.cipher("acme", alice).decrypt(aliceData, aliceContext))
          .hasMessage("decryption failed");
      assertThat(fresh.cipher("acme", bob).decrypt(bobData, bobContext)).isEqualTo(VALUE);
    }
    assertThat(keys.cipher("acme", bob).decrypt(bobData, bobContext)).isEqualTo(VALUE);
    int recorded =
        dev.privacykit.storage.spi.Jdbis.of(test.database())
            .withHandle(
                h ->
                    h.createQuery("SELECT count(*) FROM crypto_shredded_keys WHERE subject = :s")
                        .bind("s", alice)
                        .mapTo(Integer.class)
                        .one());
    assertThat(recorded).isEqualTo(1);
  }

  @DatabaseTest
  void tenants_areSeparate(Database db) throws Exception {
    String subject = subject();
    SubjectKeys keys = SubjectKeys.open(db, ROOT);
    FieldContext context = FieldContext.of("acme", "profiles", "birth_date", subject);
    byte[] ciphertext = keys.cipher("acme", subject).encrypt(VALUE, context);
    assertThatThrownBy(() -> keys.cipher("globex", subject).decrypt(ciphertext, context))
        .hasMessage("decryption failed");
  }

  @DatabaseTest
  void concurrentFirstUse_makesOneKey(Database db) throws Exception {
    String subject = subject();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<byte[]>> results = new ArrayList<>();
      FieldContext context = FieldContext.of("acme", "profiles", "birth_date", subject);
      for (int i = 0; i < 8; i++) {
        SubjectKeys keys = SubjectKeys.open(db, ROOT, c -> c.cacheSize(0));
        results.add(pool.submit(() -> keys.cipher("acme", subject).encrypt(VALUE, context)));
      }
      Set<Integer> keyIds = new HashSet<>();
      SubjectKeys reader = SubjectKeys.open(db, ROOT);
      for (Future<byte[]> result : results) {
        keyIds.add(FieldCipher.keyIdOf(result.get()));
        assertThat(reader.cipher("acme", subject).decrypt(result.get(), context)).isEqualTo(VALUE);
      }
      assertThat(keyIds).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @DatabaseTest
  void cache_hitsAfterFirstUse(Database db) throws Exception {
    String subject = subject();
    SubjectKeys keys = SubjectKeys.open(db, ROOT);
    FieldCipher first = keys.cipher("acme", subject);
    assertThat(keys.cipher("acme", subject)).isSameAs(first);
    assertThat(keys.cacheHits()).isEqualTo(1);
    assertThat(keys.cacheMisses()).isEqualTo(1);
  }
}
