package dev.privacykit.crypto;

import dev.privacykit.crypto.internal.Bytes;
import dev.privacykit.crypto.internal.Gcm;
import dev.privacykit.crypto.internal.KeyMaterial;
import dev.privacykit.crypto.internal.KeySource;
import dev.privacykit.crypto.internal.Sql;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * One data key per (tenant, data subject), for crypto-shredding: erase a person by destroying one
 * key. Keys are made on first use, stored in the database wrapped by their tenant's key (itself
 * wrapped by the {@link RootKey}), and kept unwrapped in a bounded cache with a time-to-live.
 *
 * <pre>{@code
 * FieldCipher alice = subjectKeys.cipher("acme", "subj_8f3a");
 * byte[] stored = alice.encrypt(bytes, FieldContext.of("acme", "profiles", "phone", "subj_8f3a"));
 * subjectKeys.shred("acme", "subj_8f3a");   // now no one can decrypt `stored`
 * }</pre>
 *
 * <h2>Security</h2>
 *
 * After {@link #shred}, the subject's key no longer exists in the database, and every copy of data
 * encrypted under it (backups, replicas, audit bodies) is unreadable by anyone. This process's
 * cache drops the key at once; another process sharing the database may hold it until its cache
 * time-to-live runs out ({@link SubjectKeysConfig#cacheTtl}). Subjects are named by pseudonymous
 * references, never by e-mail addresses or other direct identifiers.
 *
 * <p>Thread-safe.
 */
public final class SubjectKeys {
  private record Id(String tenant, String subject) {}

  private record Cached(FieldCipher cipher, int keyId, long expiresAt) {}

  private final Jdbi jdbi;
  private final RootKey rootKey;
  private final int cacheSize;
  private final long ttlNanos;
  private final ConcurrentHashMap<Id, Cached> cache = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, KeyMaterial> tenantKeys = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  private SubjectKeys(Database database, RootKey rootKey, SubjectKeysConfig config) {
    this.jdbi = Jdbis.of(database);
    this.rootKey = rootKey;
    this.cacheSize = config.cacheSize;
    this.ttlNanos = config.cacheTtl.toNanos();
  }

  /** Subject keys stored in {@code database} (migrated), wrapped under {@code rootKey}. */
  public static SubjectKeys open(Database database, RootKey rootKey) {
    return open(database, rootKey, config -> {});
  }

  /** {@link #open(Database, RootKey)} with settings. */
  public static SubjectKeys open(
      Database database, RootKey rootKey, Consumer<SubjectKeysConfig> configure) {
    SubjectKeysConfig config = new SubjectKeysConfig();
    configure.accept(config);
    return new SubjectKeys(database, rootKey, config);
  }

  /**
   * A randomized cipher under the subject's key, making the key if the subject has none (also after
   * a shred: the new key cannot read what the old one made).
   */
  public FieldCipher cipher(String tenant, String subject) throws GeneralSecurityException {
    Id id = id(tenant, subject);
    Cached cached = cache.get(id);
    if (cached != null && System.nanoTime() - cached.expiresAt < 0) {
      hits.incrementAndGet();
      return cached.cipher;
    }
    misses.incrementAndGet();
    long generationBefore = generation.get();
    Cached loaded = load(id, true).orElseThrow();
    if (cacheSize > 0 && generation.get() == generationBefore) {
      trimCache();
      cache.put(id, loaded);
    }
    return loaded.cipher;
  }

  /**
   * The subject's cipher if the subject has a key, without making one: what decryption uses, so
   * that reading after a shred finds nothing instead of a fresh key.
   */
  public Optional<FieldCipher> existingCipher(String tenant, String subject)
      throws GeneralSecurityException {
    Id id = id(tenant, subject);
    Cached cached = cache.get(id);
    if (cached != null && System.nanoTime() - cached.expiresAt < 0) {
      hits.incrementAndGet();
      return Optional.of(cached.cipher);
    }
    misses.incrementAndGet();
    long generationBefore = generation.get();
    Optional<Cached> loaded = load(id, false);
    if (loaded.isPresent() && cacheSize > 0 && generation.get() == generationBefore) {
      trimCache();
      cache.put(id, loaded.get());
    }
    return loaded.map(Cached::cipher);
  }

  /** Whether the subject has a key now. */
  public boolean hasKey(String tenant, String subject) {
    Id id = id(tenant, subject);
    return jdbi.withHandle(
        h ->
            h.createQuery(
                        "SELECT count(*) FROM crypto_subject_keys WHERE tenant = :t AND subject = :s")
                    .bind("t", id.tenant)
                    .bind("s", id.subject)
                    .mapTo(Integer.class)
                    .one()
                > 0);
  }

  /**
   * Destroys the subject's key (crypto-shredding) and records which key was destroyed and when.
   * Idempotent.
   *
   * @return whether a key was destroyed by this call
   */
  public boolean shred(String tenant, String subject) {
    Id id = id(tenant, subject);
    generation.incrementAndGet();
    cache.remove(id);
    boolean destroyed =
        jdbi.inTransaction(
            h -> {
              Optional<Integer> keyId =
                  h.createQuery(
                          "SELECT key_id FROM crypto_subject_keys WHERE tenant = :t AND subject = :s")
                      .bind("t", id.tenant)
                      .bind("s", id.subject)
                      .mapTo(Integer.class)
                      .findOne();
              if (keyId.isEmpty()) {
                return false;
              }
              h.createUpdate("DELETE FROM crypto_subject_keys WHERE tenant = :t AND subject = :s")
                  .bind("t", id.tenant)
                  .bind("s", id.subject)
                  .execute();
              h.createUpdate(
                      "INSERT INTO crypto_shredded_keys (tenant, subject, key_id, shredded_at)"
                          + " VALUES (:t, :s, :k, :at)")
                  .bind("t", id.tenant)
                  .bind("s", id.subject)
                  .bind("k", keyId.get())
                  .bind("at", Sql.now())
                  .execute();
              return true;
            });
    cache.remove(id);
    return destroyed;
  }

  /** Drops the subject's key from this process's cache. */
  public void evict(String tenant, String subject) {
    generation.incrementAndGet();
    cache.remove(id(tenant, subject));
  }

  /** Cache hits since start, for metrics. */
  public long cacheHits() {
    return hits.get();
  }

  /** Cache misses since start, for metrics. */
  public long cacheMisses() {
    return misses.get();
  }

  private Optional<Cached> load(Id id, boolean create) throws GeneralSecurityException {
    KeyMaterial tenantKey = tenantKey(id.tenant);
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<Map.Entry<Integer, byte[]>> row =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT key_id, wrapped_key FROM crypto_subject_keys"
                              + " WHERE tenant = :t AND subject = :s")
                      .bind("t", id.tenant)
                      .bind("s", id.subject)
                      .map((rs, ctx) -> Map.entry(rs.getInt("key_id"), rs.getBytes("wrapped_key")))
                      .findOne());
      if (row.isPresent()) {
        int keyId = row.get().getKey();
        byte[] key = tenantKey.unwrap(row.get().getValue(), subjectContext(id, keyId));
        return Optional.of(cached(keyId, key));
      }
      if (!create) {
        return Optional.empty();
      }
      int keyId = java.nio.ByteBuffer.wrap(Gcm.randomBytes(4)).getInt();
      byte[] key = Gcm.randomBytes(32);
      byte[] wrapped = tenantKey.wrap(key, subjectContext(id, keyId));
      try {
        jdbi.useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO crypto_subject_keys (tenant, subject, key_id, wrapped_key,"
                            + " created_at) VALUES (:t, :s, :k, :w, :at)")
                    .bind("t", id.tenant)
                    .bind("s", id.subject)
                    .bind("k", keyId)
                    .bind("w", wrapped)
                    .bind("at", Sql.now())
                    .execute());
        return Optional.of(cached(keyId, key));
      } catch (UnableToExecuteStatementException e) {
        if (!Sql.isUniqueViolation(e)) {
          throw e;
        }
        // another thread or process made the key first: read theirs
      } finally {
        Arrays.fill(key, (byte) 0);
      }
    }
    throw new GeneralSecurityException("could not create a subject key");
  }

  private Cached cached(int keyId, byte[] key) {
    KeyMaterial material =
        new KeyMaterial(
            keyId,
            key,
            KeyringConfig.DEFAULT_USAGE_BUDGET,
            (k, tenant, allowed) -> KeyringConfig.DEFAULT_USAGE_BUDGET);
    KeySource source =
        new KeySource() {
          @Override
          public KeyMaterial primary() {
            return material;
          }

          @Override
          public java.util.Collection<KeyMaterial> all() {
            return List.of(material);
          }

          @Override
          public KeyMaterial find(int id) {
            return id == keyId ? material : null;
          }
        };
    return new Cached(
        new FieldCipher(source, FieldCipher.Mode.RANDOMIZED), keyId, System.nanoTime() + ttlNanos);
  }

  private KeyMaterial tenantKey(String tenant) throws GeneralSecurityException {
    KeyMaterial cached = tenantKeys.get(tenant);
    if (cached != null) {
      return cached;
    }
    byte[] context = Bytes.canonical("privacykit/tenant-key/v1", tenant);
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<Map.Entry<String, byte[]>> row =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT root_key_id, wrapped_key FROM crypto_tenant_keys WHERE tenant = :t")
                      .bind("t", tenant)
                      .map(
                          (rs, ctx) ->
                              Map.entry(rs.getString("root_key_id"), rs.getBytes("wrapped_key")))
                      .findOne());
      byte[] key;
      if (row.isPresent()) {
        if (!row.get().getKey().equals(rootKey.id())) {
          throw new GeneralSecurityException(
              "the tenant key was wrapped by root key "
                  + row.get().getKey()
                  + ", but the configured root key is "
                  + rootKey.id());
        }
        key = rootKey.unwrap(row.get().getValue(), context);
      } else {
        key = Gcm.randomBytes(32);
        byte[] wrapped = rootKey.wrap(key, context);
        try {
          jdbi.useHandle(
              h ->
                  h.createUpdate(
                          "INSERT INTO crypto_tenant_keys (tenant, wrapped_key, root_key_id, created_at)"
                              + " VALUES (:t, :w, :r, :at)")
                      .bind("t", tenant)
                      .bind("w", wrapped)
                      .bind("r", rootKey.id())
                      .bind("at", Sql.now())
                      .execute());
        } catch (UnableToExecuteStatementException e) {
          if (!Sql.isUniqueViolation(e)) {
            throw e;
          }
          continue;
        }
      }
      KeyMaterial material =
          new KeyMaterial(0, key, Long.MAX_VALUE, (k, forTenant, allowed) -> Long.MAX_VALUE);
      Arrays.fill(key, (byte) 0);
      tenantKeys.putIfAbsent(tenant, material);
      return tenantKeys.get(tenant);
    }
    throw new GeneralSecurityException("could not create the tenant key");
  }

  private void trimCache() {
    if (cache.size() < cacheSize) {
      return;
    }
    long now = System.nanoTime();
    cache.values().removeIf(c -> now - c.expiresAt >= 0);
    Iterator<Id> it = cache.keySet().iterator();
    while (cache.size() >= cacheSize && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  private static byte[] subjectContext(Id id, int keyId) {
    return Bytes.canonical(
        "privacykit/subject-key/v1", id.tenant, id.subject, Bytes.keyIdHex(keyId));
  }

  private static Id id(String tenant, String subject) {
    if (tenant == null || tenant.isBlank() || tenant.length() > 256) {
      throw new IllegalArgumentException("tenant must be 1 to 256 characters");
    }
    if (subject == null || subject.isBlank() || subject.length() > 256) {
      throw new IllegalArgumentException("subject must be 1 to 256 characters");
    }
    return new Id(tenant, subject);
  }
}
