package dev.privacykit.crypto;

import dev.privacykit.crypto.internal.Bytes;
import dev.privacykit.crypto.internal.Gcm;
import dev.privacykit.crypto.internal.KeyMaterial;
import dev.privacykit.crypto.internal.KeySource;
import dev.privacykit.crypto.internal.KeyringTable;
import dev.privacykit.storage.Database;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The field keys: one primary key that makes new ciphertexts, and older keys that only decrypt.
 * {@link #rotate()} adds a key and makes it primary; ciphertexts of older keys keep decrypting and
 * report {@link FieldCipher#needsReEncryption}; {@link RewrapJob} moves them to the primary; then
 * {@link #destroy(int)} removes the old key.
 *
 * <p>{@link #open(Database, RootKey)} keeps the keys in the database, each wrapped by the {@link
 * RootKey}, shared by every process on that database: a rotation made by one is seen by the others
 * at their next {@link #refresh()}, which happens by itself every 30 seconds and whenever a
 * ciphertext names a key this process does not know. {@link #inMemory()} keeps them in this process
 * only.
 *
 * <h2>Security</h2>
 *
 * Key bytes never leave this object; {@link KeyVersion} describes a key without them. Each key
 * makes at most {@link KeyringConfig#usageBudget} encryptions for each tenant (each tenant has its
 * own subkeys, so one tenant cannot spend the others' budget); a persisted keyring reserves them in
 * blocks in the database, so the budget holds across processes and restarts.
 *
 * <p>Thread-safe.
 */
public final class Keyring {
  private static final long REFRESH_INTERVAL_NANOS = 30_000_000_000L;
  private static final long MISS_REFRESH_NANOS = 1_000_000_000L;
  private static final long RESERVATION_BLOCK = 1L << 20;

  private record Snapshot(
      long version,
      KeyMaterial primary,
      Map<Integer, KeyMaterial> byId,
      List<KeyVersion> versions) {}

  private final KeyringTable table;
  private final RootKey rootKey;
  private final long budget;
  private final KeySource source = new Source();
  private volatile Snapshot snapshot;
  private volatile long nextRefresh;
  private volatile long lastMissRefresh;

  private Keyring(KeyringTable table, RootKey rootKey, long budget) {
    this.table = table;
    this.rootKey = rootKey;
    this.budget = budget;
  }

  /** A keyring with one fresh primary key, kept in this process only. */
  public static Keyring inMemory() {
    return inMemory(config -> {});
  }

  /** {@link #inMemory()} with settings. */
  public static Keyring inMemory(Consumer<KeyringConfig> configure) {
    KeyringConfig config = new KeyringConfig();
    configure.accept(config);
    Keyring keyring = new Keyring(null, null, config.usageBudget);
    keyring.snapshot = new Snapshot(0, null, Map.of(), List.of());
    keyring.addInMemory();
    return keyring;
  }

  /**
   * The keyring stored in {@code database} (migrated), its keys wrapped by {@code rootKey}; the
   * first key is made on first use.
   *
   * @throws GeneralSecurityException if a stored key does not unwrap, naming the key and the root
   *     key that wrapped it
   */
  public static Keyring open(Database database, RootKey rootKey) throws GeneralSecurityException {
    return open(database, rootKey, config -> {});
  }

  /** {@link #open(Database, RootKey)} with settings. */
  public static Keyring open(Database database, RootKey rootKey, Consumer<KeyringConfig> configure)
      throws GeneralSecurityException {
    KeyringConfig config = new KeyringConfig();
    configure.accept(config);
    Keyring keyring = new Keyring(new KeyringTable(database), rootKey, config.usageBudget);
    keyring.table.addPrimary(keyring::newWrappedKey, rootKey.id(), true);
    keyring.refresh();
    return keyring;
  }

  /** The primary key. */
  public KeyVersion primary() {
    return snapshot.versions.stream().filter(KeyVersion::primary).findFirst().orElseThrow();
  }

  /** Every key, oldest first. */
  public List<KeyVersion> versions() {
    return snapshot.versions;
  }

  /**
   * Adds a new key and makes it primary. Older keys keep decrypting.
   *
   * @return the new primary key
   */
  public KeyVersion rotate() throws GeneralSecurityException {
    if (table == null) {
      addInMemory();
    } else {
      table.addPrimary(this::newWrappedKey, rootKey.id(), false);
      refresh();
    }
    return primary();
  }

  /**
   * Removes a decrypt-only key, for after every ciphertext it made has been re-encrypted: what it
   * made no longer decrypts. Returns whether the key existed.
   *
   * @throws IllegalArgumentException if the key is the primary
   */
  public boolean destroy(int keyId) throws GeneralSecurityException {
    if (primary().id() == keyId) {
      throw new IllegalArgumentException("key " + Bytes.keyIdHex(keyId) + " is the primary key");
    }
    if (table == null) {
      synchronized (this) {
        Snapshot current = snapshot;
        if (!current.byId.containsKey(keyId)) {
          return false;
        }
        Map<Integer, KeyMaterial> byId = new HashMap<>(current.byId);
        byId.remove(keyId);
        List<KeyVersion> versions = new ArrayList<>(current.versions);
        versions.removeIf(v -> v.id() == keyId);
        snapshot =
            new Snapshot(
                current.version + 1, current.primary, Map.copyOf(byId), List.copyOf(versions));
        return true;
      }
    }
    boolean deleted = table.delete(keyId);
    refresh();
    return deleted;
  }

  /**
   * Reads the stored keys again, picking up rotations made by other processes. Does nothing for an
   * in-memory keyring.
   *
   * @throws GeneralSecurityException if a stored key does not unwrap
   */
  public synchronized void refresh() throws GeneralSecurityException {
    if (table == null) {
      return;
    }
    nextRefresh = System.nanoTime() + REFRESH_INTERVAL_NANOS;
    Snapshot current = snapshot;
    long version = table.version();
    if (current != null && current.version == version) {
      return;
    }
    Map<Integer, KeyMaterial> byId = new HashMap<>();
    List<KeyVersion> versions = new ArrayList<>();
    KeyMaterial primary = null;
    for (KeyringTable.Row row : table.rows()) {
      KeyMaterial material =
          current != null && current.byId.containsKey(row.keyId())
              ? current.byId.get(row.keyId())
              : unwrap(row);
      byId.put(row.keyId(), material);
      versions.add(new KeyVersion(row.keyId(), row.primary(), row.createdAt()));
      if (row.primary()) {
        primary = material;
      }
    }
    if (primary == null) {
      throw new GeneralSecurityException("the keyring in the database has no primary key");
    }
    snapshot = new Snapshot(version, primary, Map.copyOf(byId), List.copyOf(versions));
  }

  KeySource source() {
    return source;
  }

  private KeyMaterial unwrap(KeyringTable.Row row) throws GeneralSecurityException {
    if (!row.rootKeyId().equals(rootKey.id())) {
      throw new GeneralSecurityException(
          "keyring key "
              + Bytes.keyIdHex(row.keyId())
              + " was wrapped by root key "
              + row.rootKeyId()
              + ", but the configured root key is "
              + rootKey.id());
    }
    byte[] key;
    try {
      key = rootKey.unwrap(row.wrappedKey(), wrapContext(row.keyId()));
    } catch (GeneralSecurityException e) {
      throw new GeneralSecurityException(
          "keyring key "
              + Bytes.keyIdHex(row.keyId())
              + " does not unwrap with root key "
              + rootKey.id());
    }
    try {
      long block = Math.min(RESERVATION_BLOCK, budget);
      return new KeyMaterial(
          row.keyId(),
          key,
          budget,
          (id, tenant, allowed) ->
              table.reserve(id, tenant, block, budget) ? allowed + block : allowed);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private byte[] newWrappedKey(int keyId) throws GeneralSecurityException {
    byte[] key = Gcm.randomBytes(32);
    try {
      return rootKey.wrap(key, wrapContext(keyId));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] wrapContext(int keyId) {
    return Bytes.canonical("privacykit/keyring-key/v1", Bytes.keyIdHex(keyId));
  }

  private synchronized void addInMemory() {
    Snapshot current = snapshot;
    int id;
    do {
      id = java.nio.ByteBuffer.wrap(Gcm.randomBytes(4)).getInt();
    } while (id == 0 || current.byId.containsKey(id));
    byte[] key = Gcm.randomBytes(32);
    KeyMaterial material = new KeyMaterial(id, key, budget, (keyId, tenant, allowed) -> budget);
    Arrays.fill(key, (byte) 0);
    Map<Integer, KeyMaterial> byId = new HashMap<>(current.byId);
    byId.put(id, material);
    List<KeyVersion> versions = new ArrayList<>();
    for (KeyVersion v : current.versions) {
      versions.add(new KeyVersion(v.id(), false, v.createdAt()));
    }
    versions.add(new KeyVersion(id, true, Instant.now()));
    snapshot = new Snapshot(current.version + 1, material, Map.copyOf(byId), List.copyOf(versions));
  }

  private final class Source implements KeySource {
    @Override
    public KeyMaterial primary() throws GeneralSecurityException {
      if (table != null && System.nanoTime() - nextRefresh > 0) {
        refresh();
      }
      return snapshot.primary;
    }

    @Override
    public java.util.Collection<KeyMaterial> all() {
      return snapshot.byId.values();
    }

    @Override
    public KeyMaterial find(int keyId) {
      KeyMaterial found = snapshot.byId.get(keyId);
      if (found != null || table == null) {
        return found;
      }
      long now = System.nanoTime();
      if (now - lastMissRefresh < MISS_REFRESH_NANOS) {
        return null;
      }
      lastMissRefresh = now;
      try {
        refresh();
      } catch (GeneralSecurityException | RuntimeException e) {
        return null;
      }
      return snapshot.byId.get(keyId);
    }
  }
}
