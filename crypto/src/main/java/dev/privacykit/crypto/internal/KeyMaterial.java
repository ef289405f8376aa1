package dev.privacykit.crypto.internal;

import dev.privacykit.crypto.UsageBudgetSpentException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.spec.SecretKeySpec;

/**
 * One unwrapped 32-byte key with its id, its per-column subkeys (HKDF) and its usage budgets, one
 * per tenant. Not API.
 *
 * <p>Thread-safe. Encryptions are counted in process, per tenant, and reserved in blocks through a
 * {@link Reserver}, so that a persisted keyring honours each budget across processes and restarts.
 * The budget is per tenant because every subkey is derived over its tenant: one tenant's
 * encryptions never use another tenant's subkeys, so they need not share a bound either.
 */
public final class KeyMaterial {
  private static final int MAX_CACHED_SUBKEYS = 10_000;

  /**
   * Grants a tenant more encryptions under a key: returns the new number this process may make for
   * the tenant in all, or {@code alreadyAllowed} (or less) to refuse.
   */
  @FunctionalInterface
  public interface Reserver {
    long reserve(int keyId, String tenant, long alreadyAllowed) throws GeneralSecurityException;
  }

  /** One tenant's count under this key. */
  private static final class Allowance {
    final AtomicLong used = new AtomicLong();
    volatile long allowed;
  }

  private final int id;
  private final byte[] key;
  private final long budget;
  private final Reserver reserver;
  private final ConcurrentHashMap<String, Allowance> allowances = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Scope, SecretKeySpec> gcmKeys = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Scope, AesSiv> sivKeys = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Scope, byte[]> indexKeys = new ConcurrentHashMap<>();

  /** The column (or index) a subkey belongs to. */
  public record Scope(String tenant, String table, String column) {}

  /** Key {@code id} with the 32 bytes {@code key} (copied), {@code budget} encryptions at most. */
  public KeyMaterial(int id, byte[] key, long budget, Reserver reserver) {
    if (key.length != 32) {
      throw new IllegalArgumentException("keys are 32 bytes");
    }
    this.id = id;
    this.key = key.clone();
    this.budget = budget;
    this.reserver = reserver;
  }

  /** The key id written into every envelope made with this key. */
  public int id() {
    return id;
  }

  /**
   * Counts one encryption for {@code tenant}.
   *
   * @throws UsageBudgetSpentException when the tenant's budget under this key is spent: the keyring
   *     must be rotated
   */
  public void countEncryption(String tenant) throws GeneralSecurityException {
    Allowance allowance = allowances.computeIfAbsent(tenant, t -> new Allowance());
    long n = allowance.used.incrementAndGet();
    if (n > allowance.allowed) {
      reserveUpTo(tenant, allowance, n);
    }
  }

  private void reserveUpTo(String tenant, Allowance allowance, long n)
      throws GeneralSecurityException {
    synchronized (allowance) {
      while (n > allowance.allowed) {
        long allowed = allowance.allowed;
        long granted =
            allowed >= budget ? allowed : Math.min(budget, reserver.reserve(id, tenant, allowed));
        if (granted <= allowed) {
          throw new UsageBudgetSpentException(Bytes.keyIdHex(id), tenant, budget);
        }
        allowance.allowed = granted;
      }
    }
  }

  /** The AES-256-GCM subkey for a column. */
  public SecretKeySpec gcmKey(Scope scope) {
    SecretKeySpec cached = gcmKeys.get(scope);
    if (cached != null) {
      return cached;
    }
    trim(gcmKeys);
    return gcmKeys.computeIfAbsent(
        scope, s -> new SecretKeySpec(derive("aes-256-gcm", s, 32), "AES"));
  }

  /** The AES-256-SIV subkey for a column. */
  public AesSiv sivKey(Scope scope) {
    AesSiv cached = sivKeys.get(scope);
    if (cached != null) {
      return cached;
    }
    trim(sivKeys);
    return sivKeys.computeIfAbsent(scope, s -> new AesSiv(derive("aes-256-siv", s, 64)));
  }

  /** The HMAC-SHA256 key of a blind index ({@code column} is the index name). */
  public byte[] indexKey(Scope scope) {
    byte[] cached = indexKeys.get(scope);
    if (cached != null) {
      return cached;
    }
    trim(indexKeys);
    return indexKeys.computeIfAbsent(scope, s -> derive("blind-index-hmac-sha256", s, 32));
  }

  /**
   * Wraps another key under a subkey of this one (AES-256-GCM, {@code context} authenticated): used
   * for tenant and subject keys.
   */
  public byte[] wrap(byte[] plaintextKey, byte[] context) throws GeneralSecurityException {
    return KeyWrap.wrap(
        new SecretKeySpec(derive("key-wrap", null, 32), "AES"), plaintextKey, context);
  }

  /** Unwraps what {@link #wrap} made with the same context. */
  public byte[] unwrap(byte[] wrapped, byte[] context) throws GeneralSecurityException {
    return KeyWrap.unwrap(new SecretKeySpec(derive("key-wrap", null, 32), "AES"), wrapped, context);
  }

  private byte[] derive(String purpose, Scope scope, int length) {
    byte[] info =
        scope == null
            ? Bytes.canonical("privacykit/v1/subkey", purpose)
            : Bytes.canonical(
                "privacykit/v1/subkey", purpose, scope.tenant(), scope.table(), scope.column());
    return Hkdf.derive(key, null, info, length);
  }

  private static void trim(ConcurrentHashMap<?, ?> cache) {
    if (cache.size() >= MAX_CACHED_SUBKEYS) {
      cache.clear();
    }
  }

  /** Zeroes the key bytes; the object must not be used afterwards. */
  public void destroy() {
    Arrays.fill(key, (byte) 0);
    gcmKeys.clear();
    sivKeys.clear();
    indexKeys.clear();
  }
}
