package dev.privacykit.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the entries waiting in the writer's queue, in all and per tenant, and admits new ones only
 * within the capacity and the tenant's share of it, so one tenant's flood cannot starve the others
 * of audit capacity. Thread-safe.
 */
final class QueueAdmission {
  private final int capacity;
  private final int share;
  private final AtomicInteger queued = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicInteger> perTenant = new ConcurrentHashMap<>();

  QueueAdmission(int capacity, double tenantShare) {
    this.capacity = capacity;
    this.share = Math.max(1, (int) (capacity * tenantShare));
  }

  /** Counts the entries in, or refuses them all: null when admitted. */
  AuditLogException admit(List<AuditEntry> entries) {
    return admit(counts(entries), entries.size());
  }

  /** Counts one entry of {@code tenant} in (a reservation), or refuses it: null when admitted. */
  AuditLogException admitOne(String tenant) {
    return admit(Map.of(tenant, 1), 1);
  }

  private AuditLogException admit(Map<String, Integer> counts, int n) {
    if (n == 0) {
      return null;
    }
    if (queued.addAndGet(n) > capacity) {
      queued.addAndGet(-n);
      return new AuditLogException.Overloaded(capacity);
    }
    List<Map.Entry<String, Integer>> added = new ArrayList<>();
    for (Map.Entry<String, Integer> t : counts.entrySet()) {
      AtomicInteger count = perTenant.computeIfAbsent(t.getKey(), k -> new AtomicInteger());
      added.add(t);
      if (count.addAndGet(t.getValue()) > share) {
        for (Map.Entry<String, Integer> undo : added) {
          perTenant.get(undo.getKey()).addAndGet(-undo.getValue());
        }
        queued.addAndGet(-n);
        return new AuditLogException.Overloaded(t.getKey(), share);
      }
    }
    return null;
  }

  /** Counts entries out (taken by the writer, or given back). */
  void release(List<AuditEntry> entries) {
    queued.addAndGet(-entries.size());
    counts(entries).forEach((tenant, n) -> perTenant.get(tenant).addAndGet(-n));
  }

  /** Counts out one entry of {@code tenant} admitted by {@link #admitOne} and not used. */
  void releaseOne(String tenant) {
    queued.decrementAndGet();
    perTenant.get(tenant).decrementAndGet();
  }

  /** Entries waiting, all tenants together. */
  int queued() {
    return queued.get();
  }

  private static Map<String, Integer> counts(List<AuditEntry> entries) {
    Map<String, Integer> counts = new HashMap<>();
    for (AuditEntry e : entries) {
      counts.merge(e.tenant(), 1, Integer::sum);
    }
    return counts;
  }
}
