package dev.privacykit.audit;

import dev.privacykit.audit.internal.AuditStore;
import dev.privacykit.audit.internal.EntryCodec;
import dev.privacykit.audit.internal.Frontier;
import dev.privacykit.audit.internal.Merkle;
import dev.privacykit.audit.internal.ProofBuilder;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Writes groups of entries into the tree under the head the caller locked, in the caller's
 * transaction: entry rows, encrypted bodies, stored subtrees, idempotency keys and the new head.
 * The group-commit writer ({@link BatchWriter}) and sequenced appends ({@link SequencedAppends})
 * both write through it, so an entry is stored the same way whichever path it took. Thread-safe.
 */
final class TreeWrites {
  private final AuditStore store;
  private final AuditLogConfig config;
  private final SecureRandom random = new SecureRandom();

  TreeWrites(AuditStore store, AuditLogConfig config) {
    this.store = store;
    this.config = config;
  }

  /** What became of one group: its seqs, or the conflict that refused it whole. */
  record Outcome(List<Long> seqs, AuditLogException.IdempotencyConflict conflict) {}

  /**
   * Writes the groups of {@code batch} (in order, each all or none) on top of {@code tree}, the
   * frontier at the head the caller locked in this transaction, and moves the head; {@code tree}
   * then holds the new frontier. Returns what became of each group.
   */
  List<Outcome> write(Handle h, Frontier tree, List<BatchWriter.Pending> batch) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    if (config.closedAt(now)) {
      throw new AuditLogException.ShardClosed(config.origin, config.writableUntil);
    }
    Map<String, AuditStore.KeyedSeq> known = knownKeys(h, batch);
    List<AuditStore.NewRow> rows = new ArrayList<>();
    List<AuditStore.NewNode> nodes = new ArrayList<>();
    List<String[]> newKeys = new ArrayList<>();
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    for (BatchWriter.Pending pending : batch) {
      // Decide the whole group before writing any of it: a conflict refuses it whole.
      List<Long> seqs = new ArrayList<>(pending.entries().size());
      AuditLogException.IdempotencyConflict conflict = null;
      Map<String, AuditStore.KeyedSeq> inGroup = new HashMap<>();
      long next = tree.size();
      for (int i = 0; i < pending.entries().size(); i++) {
        String key = pending.keys().get(i);
        if (key == null) {
          seqs.add(next++);
          continue;
        }
        AuditEntry e = pending.entries().get(i);
        String id = e.tenant() + "\u0000" + key;
        String fingerprint = EntryBodies.fingerprint(e);
        AuditStore.KeyedSeq earlier = inGroup.getOrDefault(id, known.get(id));
        if (earlier == null) {
          inGroup.put(id, new AuditStore.KeyedSeq(next, fingerprint));
          seqs.add(next++);
        } else if (earlier.fingerprint().equals(fingerprint)) {
          seqs.add(earlier.seq());
        } else {
          conflict = new AuditLogException.IdempotencyConflict(i);
          break;
        }
      }
      if (conflict != null) {
        outcomes.add(new Outcome(null, conflict));
        continue;
      }
      for (int i = 0; i < pending.entries().size(); i++) {
        long seq = seqs.get(i);
        if (seq < tree.size()) {
          continue; // a replay: nothing new to write
        }
        AuditEntry e = pending.entries().get(i);
        byte[] body = EntryBodies.encrypt(config.subjectKeys, e, seq);
        EntryCodec.Fields fields =
            EntryCodec.Fields.of(
                seq, now, e.storedFields(), body == null ? null : Merkle.sha256(body), salt());
        byte[] leaf = EntryCodec.leaf(fields);
        rows.add(new AuditStore.NewRow(fields, leaf, body));
        for (Frontier.Completed c : tree.add(leaf)) {
          if (ProofBuilder.isStored(c.level())) {
            nodes.add(new AuditStore.NewNode(c.level(), c.index(), seq, c.hash()));
          }
        }
        String key = pending.keys().get(i);
        if (key != null) {
          newKeys.add(
              new String[] {e.tenant(), key, Long.toString(seq), EntryBodies.fingerprint(e)});
        }
      }
      inGroup.forEach(known::put);
      outcomes.add(new Outcome(List.copyOf(seqs), null));
    }
    store.insert(h, rows, nodes, new AuditStore.State(tree.size(), tree.root()));
    store.insertIdempotencyKeys(h, newKeys);
    return outcomes;
  }

  /** A fresh random salt for a leaf (SecureRandom is thread-safe: one generator serves). */
  private byte[] salt() {
    byte[] salt = new byte[EntryCodec.SALT_BYTES];
    random.nextBytes(salt);
    return salt;
  }

  /** The stored idempotency keys the batch names, by tenant and key. */
  private Map<String, AuditStore.KeyedSeq> knownKeys(Handle h, List<BatchWriter.Pending> batch) {
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

  /**
   * The frontier at the locked head: a copy of {@code cached} (possibly null) if nobody else
   * appended since it was taken, else read again from the stored subtrees.
   */
  Frontier frontierAt(Handle h, AuditStore.State head, Frontier cached) {
    if (cached != null && cached.size() == head.size()) {
      return cached.copy();
    }
    Frontier loaded;
    try {
      loaded = store.frontierAt(h, head.size());
    } catch (IllegalStateException e) {
      throw new AuditLogException(e.getMessage() + "; run verify()");
    }
    if (!java.util.Arrays.equals(loaded.root(), head.root())) {
      throw new AuditLogException("the audit log's head does not match its subtrees; run verify()");
    }
    return loaded;
  }
}
