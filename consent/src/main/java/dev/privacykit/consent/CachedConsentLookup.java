package dev.privacykit.consent;

import dev.privacykit.policies.ConsentAnswer;
import dev.privacykit.policies.ConsentLookup;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The ledger's {@link ConsentLookup}: answers from memory, dropped per subject whenever any process
 * that shares the database changes that subject's consent, and in any case after a time-to-live.
 * Bounded: past {@value #MAX_SUBJECTS} subjects the cache starts over.
 */
final class CachedConsentLookup implements ConsentLookup {
  static final int MAX_SUBJECTS = 200_000;

  record Key(String tenant, String subject, String purpose) {}

  private record SubjectKey(String tenant, String subject) {}

  private record Cached(ConsentAnswer answer, long expiresAt) {}

  private final ConcurrentHashMap<SubjectKey, ConcurrentHashMap<String, Cached>> cache =
      new ConcurrentHashMap<>();
  private final Function<Key, ConsentAnswer> load;
  private final long ttlNanos;
  private final AtomicLong generation = new AtomicLong();
  final java.util.concurrent.atomic.LongAdder hits = new java.util.concurrent.atomic.LongAdder();
  final java.util.concurrent.atomic.LongAdder misses = new java.util.concurrent.atomic.LongAdder();

  CachedConsentLookup(Function<Key, ConsentAnswer> load, long ttlNanos) {
    this.load = load;
    this.ttlNanos = ttlNanos;
  }

  @Override
  public ConsentAnswer lookup(String tenant, String subject, String purpose) {
    SubjectKey subjectKey = new SubjectKey(tenant, subject);
    ConcurrentHashMap<String, Cached> purposes = cache.get(subjectKey);
    Cached cached = purposes == null ? null : purposes.get(purpose);
    if (cached != null && System.nanoTime() - cached.expiresAt < 0) {
      hits.increment();
      return cached.answer;
    }
    misses.increment();
    long before = generation.get();
    ConsentAnswer answer;
    try {
      answer = load.apply(new Key(tenant, subject, purpose));
    } catch (RuntimeException e) {
      throw new ConsentLookupException("consent could not be read from the ledger", e);
    }
    if (generation.get() == before) {
      if (cache.size() >= MAX_SUBJECTS) {
        cache.clear();
      }
      cache
          .computeIfAbsent(subjectKey, k -> new ConcurrentHashMap<>())
          .put(purpose, new Cached(answer, System.nanoTime() + ttlNanos));
    }
    return answer;
  }

  /** Drops what is cached for a subject ({@code tenant} null: everything). */
  void invalidate(String tenant, String subject) {
    generation.incrementAndGet();
    if (tenant == null) {
      cache.clear();
    } else {
      cache.remove(new SubjectKey(tenant, subject));
    }
  }
}
