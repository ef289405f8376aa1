package dev.privacykit.crypto;

import java.time.Duration;

/** Settings of {@link SubjectKeys}; values are checked when set. */
public final class SubjectKeysConfig {
  int cacheSize = 10_000;
  Duration cacheTtl = Duration.ofSeconds(60);

  SubjectKeysConfig() {}

  /**
   * How many unwrapped subject keys to keep in memory: 0 (no cache) to 1,000,000; 10,000 default.
   */
  public SubjectKeysConfig cacheSize(int size) {
    if (size < 0 || size > 1_000_000) {
      throw new IllegalArgumentException("cacheSize must be 0 to 1000000, was " + size);
    }
    this.cacheSize = size;
    return this;
  }

  /**
   * How long an unwrapped key may stay cached: 1 s to 1 h; 60 s default. This bounds how long
   * another process that shares the database can still use a key after {@link SubjectKeys#shred}.
   */
  public SubjectKeysConfig cacheTtl(Duration ttl) {
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("cacheTtl must be 1 s to 1 h, was " + ttl);
    }
    this.cacheTtl = ttl;
    return this;
  }
}
