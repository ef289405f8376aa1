package dev.privacykit.audit;

import dev.privacykit.audit.internal.AuditStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The idempotency keys a batch names that are stored already, read under the head's lock. */
final class BatchKeys {
  private BatchKeys() {}

  /** The stored idempotency keys the batch names, by tenant and key. */
  static Map<String, AuditStore.KeyedSeq> known(
      AuditStore store, org.jdbi.v3.core.Handle h, List<BatchWriter.Pending> batch) {
    Map<String, List<String>> byTenant = new HashMap<>();
    for (BatchWriter.Pending pending : batch) {
      for (int i = 0; i < pending.entries().size(); i++) {
        String key = pending.keys().get(i);
        if (key != null) {
          byTenant
              .computeIfAbsent(pending.entries().get(i).tenant(), t -> new ArrayList<>())
              .add(key);
        }
      }
    }
    Map<String, AuditStore.KeyedSeq> known = new HashMap<>();
    byTenant.forEach(
        (tenant, keys) ->
            store
                .idempotencyKeys(h, tenant, keys)
                .forEach((key, seq) -> known.put(tenant + "\u0000" + key, seq)));
    return known;
  }
}
