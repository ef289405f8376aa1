package dev.privacykit.bench;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.privacykit.crypto.BlindIndex;
import dev.privacykit.crypto.FieldCipher;
import dev.privacykit.crypto.FieldContext;
import dev.privacykit.crypto.Keyring;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.crypto.Transform;
import dev.privacykit.storage.Database;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Field encryption against its baselines, all on a 64-byte field: raw JDK AES-256-GCM with a cached
 * {@code Cipher} and a fresh random nonce, and Tink's AES256_GCM.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CryptoBenchmarks {

  /** Keys and inputs shared by the threads of a run. */
  @State(Scope.Benchmark)
  public static class Shared {
    final byte[] field = new byte[64];
    SecretKeySpec rawKey;
    Aead tink;
    byte[] tinkCiphertext;
    byte[] tinkAad = "acme/customers/email/42".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    FieldCipher cipher;
    FieldContext context = FieldContext.of("acme", "customers", "email", "42");
    byte[] fieldCiphertext;
    BlindIndex index;
    Database database;
    SubjectKeys subjectKeys;
    byte[] hmacKey = new byte[32];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      SecureRandom random = new SecureRandom();
      random.nextBytes(field);
      byte[] key = new byte[32];
      random.nextBytes(key);
      rawKey = new SecretKeySpec(key, "AES");
      random.nextBytes(hmacKey);
      AeadConfig.register();
      tink =
          KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM)
              .getPrimitive(com.google.crypto.tink.RegistryConfiguration.get(), Aead.class);
      tinkCiphertext = tink.encrypt(field, tinkAad);
      Keyring keyring = Keyring.inMemory();
      cipher = FieldCipher.randomized(keyring);
      fieldCiphertext = cipher.encrypt(field, context);
      index =
          BlindIndex.builder(keyring, "customers", "email_idx")
              .field(Transform.IDENTITY)
              .bits(16)
              .expectedRows(1_000_000)
              .build();
      database = Database.open(Database.inMemoryUrl("bench_" + System.nanoTime()));
      database.migrate();
      subjectKeys = SubjectKeys.open(database, RootKeys.ephemeral());
      subjectKeys.cipher("acme", "subj_1").encrypt(field, context);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      database.shutdownInMemory();
    }
  }

  /** What each thread keeps for itself, as a careful caller would. */
  @State(Scope.Thread)
  public static class PerThread {
    Cipher jdk;
    SecureRandom random;
    Mac mac;
    byte[] rawCiphertext;
    byte[] rawNonce = new byte[12];
    byte[] aad = new byte[20];
    byte[] rawAadCiphertext;

    @Setup(Level.Trial)
    public void setUp(Shared shared) throws Exception {
      jdk = Cipher.getInstance("AES/GCM/NoPadding");
      random = new SecureRandom();
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(shared.hmacKey, "HmacSHA256"));
      random.nextBytes(rawNonce);
      jdk.init(Cipher.ENCRYPT_MODE, shared.rawKey, new GCMParameterSpec(128, rawNonce));
      rawCiphertext = jdk.doFinal(shared.field);
      byte[] nonce2 = rawNonce.clone();
      jdk.init(Cipher.ENCRYPT_MODE, shared.rawKey, new GCMParameterSpec(128, new byte[12]));
      jdk.init(Cipher.ENCRYPT_MODE, shared.rawKey, new GCMParameterSpec(128, nonce2));
      jdk.updateAAD(aad);
      rawAadCiphertext = jdk.doFinal(shared.field);
    }
  }

  @Benchmark
  public byte[] rawJdkEncrypt(Shared s, PerThread t) throws Exception {
    byte[] nonce = new byte[12];
    t.random.nextBytes(nonce);
    t.jdk.init(Cipher.ENCRYPT_MODE, s.rawKey, new GCMParameterSpec(128, nonce));
    byte[] out = new byte[12 + s.field.length + 16];
    System.arraycopy(nonce, 0, out, 0, 12);
    t.jdk.doFinal(s.field, 0, s.field.length, out, 12);
    return out;
  }

  @Benchmark
  public byte[] rawJdkDecrypt(Shared s, PerThread t) throws Exception {
    t.jdk.init(Cipher.DECRYPT_MODE, s.rawKey, new GCMParameterSpec(128, t.rawNonce));
    return t.jdk.doFinal(t.rawCiphertext);
  }

  @Benchmark
  public byte[] rawJdkEncryptAad(Shared s, PerThread t) throws Exception {
    byte[] nonce = new byte[12];
    t.random.nextBytes(nonce);
    t.jdk.init(Cipher.ENCRYPT_MODE, s.rawKey, new GCMParameterSpec(128, nonce));
    t.jdk.updateAAD(t.aad);
    byte[] out = new byte[12 + s.field.length + 16];
    System.arraycopy(nonce, 0, out, 0, 12);
    t.jdk.doFinal(s.field, 0, s.field.length, out, 12);
    return out;
  }

  /** Raw JDK with 20 bytes of associated data, as much as a field envelope binds. */
  @Benchmark
  public byte[] rawJdkDecryptAad(Shared s, PerThread t) throws Exception {
    t.jdk.init(Cipher.DECRYPT_MODE, s.rawKey, new GCMParameterSpec(128, t.rawNonce));
    t.jdk.updateAAD(t.aad);
    return t.jdk.doFinal(t.rawAadCiphertext);
  }

  @Benchmark
  public byte[] tinkEncrypt(Shared s) throws Exception {
    return s.tink.encrypt(s.field, s.tinkAad);
  }

  @Benchmark
  public byte[] tinkDecrypt(Shared s) throws Exception {
    return s.tink.decrypt(s.tinkCiphertext, s.tinkAad);
  }

  @Benchmark
  public byte[] fieldCipherEncrypt(Shared s) throws Exception {
    return s.cipher.encrypt(s.field, s.context);
  }

  @Benchmark
  public byte[] fieldCipherDecrypt(Shared s) throws Exception {
    return s.cipher.decrypt(s.fieldCiphertext, s.context);
  }

  @Benchmark
  public byte[] subjectKeyEncrypt(Shared s) throws Exception {
    return s.subjectKeys.cipher("acme", "subj_1").encrypt(s.field, s.context);
  }

  @Benchmark
  public byte[] rawJdkHmac(Shared s, PerThread t) {
    return t.mac.doFinal(s.field);
  }

  @Benchmark
  public byte[] blindIndexTerm(Shared s) throws Exception {
    return s.index.term("acme", "alice@example.com");
  }
}
