package dev.privacykit.audit;

import java.time.Instant;
import java.util.Optional;

/**
 * A stored run of {@link AuditLog#verify()}: what an operator, a dashboard or an alert reads to
 * know whether and when the log was last proved intact. It carries no seq and no hashes, only the
 * kind of the first failure, so it may be shown to any tenant.
 *
 * @param verifiedAt when the run finished
 * @param entries how many entries it checked
 * @param failure the kind of the first failure, empty when the log verified
 * @param incremental whether it checked only what came after an earlier run's proved tree
 */
public record VerificationRun(
    Instant verifiedAt, long entries, Optional<Verification.Kind> failure, boolean incremental) {

  /** Whether the log verified in this run. */
  public boolean ok() {
    return failure.isEmpty();
  }
}
