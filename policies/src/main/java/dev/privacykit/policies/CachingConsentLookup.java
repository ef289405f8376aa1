package dev.privacykit.policies;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link ConsentLookup} that remembers its source's answers for a time-to-live, grouped by
 * subject so that one change drops every purpose of that subject. The one consent cache of
 * PrivacyKit: the ledger's lookup (dropped across processes on change) and the remote lookup of the
 * middleware (time-to-live only) both use it.
 *
 * <p>Bounded: past {@code maxSubjects} subjects it starts over. An answer loaded while an
 * invalidation ran is returned but not cached, so a withdrawal is never hidden behind a stale
 * answer that raced it. Failures of the source are not cached; they reach the caller (and the
 * decision engine denies).
 *
 * <p>Thread-safe.
 */
public final class CachingConsentLookup implements ConsentLookup {
  private record SubjectKey(String tenant, String subject) {}

  private record Cached(ConsentAnswer answer, long expiresAt) {}

  private final ConsentLookup source;
  private final long ttlNanos;
  private final int maxSubjects;
  private final ConcurrentHashMap<SubjectKey, ConcurrentHashMap<String, Cached>> cache =
      new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  /**
   * A cache in front of {@code source}.
   *
   * @param ttl how long an answer is reused (0 to 1 hour; 0 caches nothing)
   * @param maxSubjects how many subjects it holds before starting over (1 or more)
   */
  public CachingConsentLookup(ConsentLookup source, Duration ttl, int maxSubjects) {
    this.source = Objects.requireNonNull(source, "source");
    if (ttl.isNegative() || ttl.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("ttl must be 0 to 1 hour, was " + ttl);
    }
    if (maxSubjects < 1) {
      throw new IllegalArgumentException("maxSubjects must be 1 or more, was " + maxSubjects);
    }
    this.ttlNanos = ttl.toNanos();
    this.maxSubjects = maxSubjects;
  }

  @Override
  public ConsentAnswer lookup(String tenant, String subject, String purpose) {
    SubjectKey key = new SubjectKey(tenant, subject);
    ConcurrentHashMap<String, Cached> purposes = cache.get(key);
    Cached cached = purposes == null ? null : purposes.get(purpose);
    if (cached != null && System.nanoTime() - cached.expiresAt < 0) {
      hits.increment();
      return cached.answer;
    }
    misses.increment();
    long before = generation.get();
    ConsentAnswer answer = source.lookup(tenant, subject, purpose);
    if (ttlNanos > 0 && generation.get() == before) {
      if (cache.size() >= maxSubjects) {
        cache.clear();
      }
      cache
          .computeIfAbsent(key, k -> new ConcurrentHashMap<>())
          .put(purpose, new Cached(answer, System.nanoTime() + ttlNanos));
    }
    return answer;
  }

  /** Drops what is cached for one subject. */
  public void invalidate(String tenant, String subject) {
    generation.incrementAndGet();
    cache.remove(new SubjectKey(tenant, subject));
  }

  /** Drops everything (a lost change feed, say). */
  public void invalidateAll() {
    generation.incrementAndGet();
    cache.clear();
  }

  /** Answers served from memory so far. */
  public long hits() {
    return hits.sum();
  }

  /** Answers asked of the source so far. */
  public long misses() {
    return misses.sum();
  }
}
