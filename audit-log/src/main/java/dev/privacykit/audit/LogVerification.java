package dev.privacykit.audit;

import dev.privacykit.audit.internal.AuditStore;
import dev.privacykit.audit.internal.CheckpointStore;
import dev.privacykit.audit.internal.EntryStore;
import dev.privacykit.audit.internal.Frontier;
import dev.privacykit.audit.internal.VerificationStore;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One run of verification, full or incremental, and what it owes besides recomputing the tree: the
 * pinned key against the database's, the witnesses' view (rollback, fork), and the record of the
 * run with the tree it proved. An incremental run starts from the tree the newest successful run
 * proved (its frontier read from the stored subtrees must still give that root) and checks only
 * what came after: O(new entries).
 */
final class LogVerification {
  private final AuditStore store;
  private final EntryStore entries;
  private final CheckpointStore checkpoints;
  private final VerificationStore runs;
  private final AuditPublication publication;
  private final String databaseKey;
  private final String trustedKey;

  LogVerification(
      AuditStore store,
      EntryStore entries,
      CheckpointStore checkpoints,
      VerificationStore runs,
      AuditPublication publication,
      String databaseKey,
      String trustedKey) {
    this.store = store;
    this.entries = entries;
    this.checkpoints = checkpoints;
    this.runs = runs;
    this.publication = publication;
    this.databaseKey = databaseKey;
    this.trustedKey = trustedKey;
  }

  Verification full() {
    AuditStore.State head = store.state();
    return finish(verifier().run(head, 0, new Frontier()), head, false);
  }

  Verification incremental() {
    Optional<VerificationStore.Proved> proved = runs.lastProved();
    AuditStore.State head = store.state();
    if (proved.isEmpty() || proved.get().size() > head.size()) {
      return full();
    }
    long from = proved.get().size();
    Frontier start;
    try {
      start = store.jdbi().withHandle(h -> store.storedFrontierAt(h, from));
    } catch (IllegalStateException e) {
      return finish(failure(from, "subtrees below it missing", "tree of size " + from), head, true);
    }
    if (!Arrays.equals(start.root(), proved.get().root())) {
      return finish(
          failure(
              from,
              "root " + HexFormat.of().formatHex(start.root()),
              "root " + HexFormat.of().formatHex(proved.get().root()) + " proved at size " + from),
          head,
          true);
    }
    return finish(verifier().run(head, from, start), head, true);
  }

  private Verifier verifier() {
    return new Verifier(store, entries, checkpoints, trustedKey);
  }

  private static Verification failure(long size, String calculated, String stored) {
    return new Verification(
        0,
        0,
        Optional.of(
            new Verification.Failure(
                size, Verification.Kind.INCONSISTENT, calculated, stored, -1)));
  }

  private Verification finish(
      Verification verification, AuditStore.State head, boolean incremental) {
    if (verification.ok() && !databaseKey.equals(trustedKey)) {
      verification =
          new Verification(
              verification.entries(),
              verification.checkpoints(),
              Optional.of(
                  new Verification.Failure(
                      0,
                      Verification.Kind.SIGNATURE,
                      "the database's checkpoint key " + databaseKey,
                      "the pinned key " + trustedKey,
                      -1)));
    }
    if (verification.ok() && publication.enabled()) {
      publication.publishNow();
      Optional<Verification.Failure> diverged = publication.divergence();
      if (diverged.isPresent()) {
        verification =
            new Verification(verification.entries(), verification.checkpoints(), diverged);
      }
    }
    runs.record(
        verification,
        verification.ok() ? new VerificationStore.Proved(head.size(), head.root()) : null,
        incremental);
    return verification;
  }
}
