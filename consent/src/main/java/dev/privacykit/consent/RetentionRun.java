package dev.privacykit.consent;

import java.time.Instant;
import java.util.List;

/**
 * What one run of the retention executor did, or would do when {@code dryRun}.
 *
 * @param dryRun whether nothing was written
 * @param at when it ran
 * @param actions the actions, in the order taken
 * @param more whether the run stopped at its limit with more to do (the next run goes on)
 */
public record RetentionRun(
    boolean dryRun, Instant at, List<RetentionAction> actions, boolean more) {

  /** Copies the actions. */
  public RetentionRun {
    actions = List.copyOf(actions);
  }

  /** How many actions of {@code kind}. */
  public long count(RetentionAction.Kind kind) {
    return actions.stream().filter(a -> a.kind() == kind).count();
  }
}
