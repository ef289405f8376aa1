package dev.privacykit.crypto;

import dev.privacykit.crypto.internal.Bytes;
import dev.privacykit.crypto.internal.KeyMaterial;
import dev.privacykit.crypto.internal.KeySource;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An equality index over encrypted values: a truncated HMAC-SHA256 of the (transformed) value, so
 * rows can be found by value without decrypting, and without the index revealing the value.
 *
 * <pre>{@code
 * BlindIndex email = BlindIndex.builder(keyring, "customers", "email_idx")
 *     .field(Transform.NORMALIZE).bits(16).expectedRows(1_000_000).build();
 * byte[] term = email.term("acme", "Alice@Example.com");          // store beside the ciphertext
 * List<byte[]> terms = email.searchTerms("acme", "alice@example.com"); // WHERE email_idx IN (...)
 * }</pre>
 *
 * <p>A compound index covers several fields ({@code .field(...)} once per field, values given in
 * the same order). Each (key, tenant, table, index) has its own HMAC key, derived with HKDF.
 *
 * <h2>Security</h2>
 *
 * Index terms reveal which rows share a (truncated) value. The builder refuses sizes that break
 * {@link BlindIndexPlanner}'s coincidence rule for the expected row count, so that a term always
 * matches several rows. After {@link Keyring#rotate()}, terms made by the new primary differ:
 * {@link #searchTerms} returns the term under every key until old terms are rebuilt.
 *
 * <p>Immutable and thread-safe.
 */
public final class BlindIndex {
  private static final ThreadLocal<Mac> HMAC =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Mac.getInstance("HmacSHA256");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
            }
          });

  private final KeySource keys;
  private final String table;
  private final String name;
  private final List<Transform> fields;
  private final int bits;

  private BlindIndex(Builder builder) {
    this.keys = builder.keyring.source();
    this.table = builder.table;
    this.name = builder.name;
    this.fields = List.copyOf(builder.fields);
    this.bits = builder.bits;
  }

  /** Starts an index named {@code name} over {@code table}, keyed from {@code keyring}. */
  public static Builder builder(Keyring keyring, String table, String name) {
    return new Builder(keyring, table, name);
  }

  /** The index size in bits. */
  public int bits() {
    return bits;
  }

  /**
   * The index term of {@code values} (one per field, in order) under the primary key: {@code
   * ceil(bits / 8)} bytes, unused low bits of the last byte zero.
   */
  public byte[] term(String tenant, String... values) throws GeneralSecurityException {
    return term(keys.primary(), tenant, values);
  }

  /** {@link #term} as base64url text. */
  public String termText(String tenant, String... values) throws GeneralSecurityException {
    return Bytes.toBase64Url(term(tenant, values));
  }

  /**
   * The terms of {@code values} under every key of the keyring, the primary's first: what to search
   * for while older rows still carry terms made by an older key.
   */
  public List<byte[]> searchTerms(String tenant, String... values) throws GeneralSecurityException {
    KeyMaterial primary = keys.primary();
    List<byte[]> terms = new ArrayList<>();
    terms.add(term(primary, tenant, values));
    for (KeyMaterial key : keys.all()) {
      if (key != primary) {
        terms.add(term(key, tenant, values));
      }
    }
    return terms;
  }

  private byte[] term(KeyMaterial key, String tenant, String... values)
      throws GeneralSecurityException {
    if (values.length != fields.size()) {
      throw new IllegalArgumentException(
          "index " + name + " has " + fields.size() + " fields, got " + values.length + " values");
    }
    Objects.requireNonNull(tenant, "tenant");
    String[] transformed = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      transformed[i] = fields.get(i).apply(Objects.requireNonNull(values[i], "value"));
    }
    byte[] input = Bytes.canonical("privacykit/blind-index/v1", transformed);
    byte[] indexKey = key.indexKey(new KeyMaterial.Scope(tenant, table, name));
    Mac mac = HMAC.get();
    try {
      mac.init(new SecretKeySpec(indexKey, "HmacSHA256"));
    } catch (InvalidKeyException e) {
      throw new GeneralSecurityException("blind index key rejected", e);
    }
    byte[] full = mac.doFinal(input);
    int length = (bits + 7) / 8;
    byte[] out = java.util.Arrays.copyOf(full, length);
    int spare = length * 8 - bits;
    if (spare > 0) {
      out[length - 1] &= (byte) (0xff << spare);
    }
    return out;
  }

  /** Builds a {@link BlindIndex}, checking its size against the expected row count. */
  public static final class Builder {
    private final Keyring keyring;
    private final String table;
    private final String name;
    private final List<Transform> fields = new ArrayList<>();
    private int bits = -1;
    private long expectedRows = -1;
    private long inputDomain;
    private int otherIndexBits;

    private Builder(Keyring keyring, String table, String name) {
      this.keyring = Objects.requireNonNull(keyring, "keyring");
      this.table = requireName("table", table);
      this.name = requireName("name", name);
    }

    /** Adds a field, with the transforms applied to its value in order. */
    public Builder field(Transform... transforms) {
      Transform combined = Transform.IDENTITY;
      for (Transform t : transforms) {
        combined = combined.andThen(Objects.requireNonNull(t, "transform"));
      }
      fields.add(combined);
      return this;
    }

    /** The index size: 1 to 256 bits. */
    public Builder bits(int bits) {
      if (bits < 1 || bits > 256) {
        throw new IllegalArgumentException("bits must be 1 to 256, was " + bits);
      }
      this.bits = bits;
      return this;
    }

    /** How many rows the table is expected to hold: what the size is checked against. */
    public Builder expectedRows(long rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("expectedRows must be at least 1, was " + rows);
      }
      this.expectedRows = rows;
      return this;
    }

    /** How many distinct inputs are possible (10,000 for four digits); unbounded by default. */
    public Builder inputDomain(long distinctValues) {
      if (distinctValues < 1) {
        throw new IllegalArgumentException("inputDomain must be at least 1, was " + distinctValues);
      }
      this.inputDomain = distinctValues;
      return this;
    }

    /** Bits of other indexes on the same table over related fields, counted with this one. */
    public Builder otherIndexBits(int bits) {
      if (bits < 0 || bits > 1024) {
        throw new IllegalArgumentException("otherIndexBits must be 0 to 1024, was " + bits);
      }
      this.otherIndexBits = bits;
      return this;
    }

    /**
     * Builds the index.
     *
     * @throws IllegalArgumentException if a setting is missing or the size would leak
     */
    public BlindIndex build() {
      if (fields.isEmpty()) {
        fields.add(Transform.IDENTITY);
      }
      if (bits < 0 || expectedRows < 0) {
        throw new IllegalArgumentException("bits and expectedRows must be set");
      }
      BlindIndexPlanner.check(bits + otherIndexBits, expectedRows, inputDomain);
      return new BlindIndex(this);
    }

    private static String requireName(String what, String value) {
      if (value == null || value.isBlank() || value.length() > 128) {
        throw new IllegalArgumentException(what + " must be 1 to 128 characters");
      }
      return value;
    }
  }
}
