package dev.privacykit.audit;

import java.util.Objects;

/**
 * Which audit log takes a tenant's entries: the one log ({@link #of(AuditLog)}), or the tenant's
 * shard of a sharded log ({@link AuditShards}). Everything that writes or reads a tenant's entries
 * asks the router for the tenant's log, so a tenant's entries, reports and proofs stay in one tree.
 */
@FunctionalInterface
public interface AuditRouter {
  /**
   * The log that holds {@code tenant}'s entries.
   *
   * @throws AuditLogException if the tenant's shards are all closed
   */
  AuditLog forTenant(String tenant);

  /** Every tenant on one log. */
  static AuditRouter of(AuditLog log) {
    Objects.requireNonNull(log, "audit");
    return tenant -> log;
  }
}
