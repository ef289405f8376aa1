package dev.privacykit.consent;

import dev.privacykit.audit.Action;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.policies.RetentionRule;
import dev.privacykit.policies.RetentionRule.Trigger;
import dev.privacykit.storage.Database;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Runs the policy's retention rules: on a schedule, on demand, or as a dry run that writes nothing.
 *
 * <ul>
 *   <li>{@code when: consent_ended}: once a consent has been withdrawn or has expired for the
 *       rule's grace period, the host deletes (or anonymises) the data it holds for that purpose: a
 *       {@code retention.erase} or {@code retention.anonymise} webhook.
 *   <li>{@code when: inactive}: a principal who has not come for the rule's period (DPDP Rules
 *       2025, rule 8 and the Third Schedule) is told at least 48 hours before ({@code
 *       retention.notice}); if they come back in between (a consent change, a request, a login the
 *       host reports with {@link #seen}) the erasure is called off; otherwise their key is
 *       shredded, their identifiers deleted and {@code subject.erased} announced. Consent records
 *       stay as proof.
 * </ul>
 *
 * <p>Every action is recorded once ({@code retention_actions}, unique per trigger, so several
 * processes may run it at once), announced in the same transaction, and written to the audit log.
 * {@link #actions} is the report of what was done, when and why.
 *
 * <p>Thread-safe.
 */
public final class RetentionExecutor {
  private static final String EVERYTHING = "*";

  private final RetentionStore store;
  private final RetentionConfig config;
  private final AuditOutbox audit;
  private final RetentionRecorder recorder;

  private RetentionExecutor(Database database, RetentionConfig config) {
    this.store = new RetentionStore(database);
    this.config = config;
    this.audit = new AuditOutbox(database, config.audit);
    this.recorder = new RetentionRecorder(store, audit, config.actor);
  }

  /**
   * Opens the executor on a migrated database.
   *
   * @throws IllegalArgumentException without a policy
   */
  public static RetentionExecutor open(Database database, Consumer<RetentionConfig> configure) {
    RetentionConfig config = new RetentionConfig();
    configure.accept(config);
    if (config.policy == null) {
      throw new IllegalArgumentException("a retention executor needs a policy");
    }
    return new RetentionExecutor(database, config);
  }

  /** Records that a principal came (a login, a contact): it calls off an erasure for inactivity. */
  public void seen(String tenant, String subject) {
    RequestChecks.check("tenant", tenant);
    RequestChecks.check("subject", subject);
    store.seen(tenant, subject, now());
  }

  /**
   * Applies the rules to {@code tenant} (every tenant when null); with {@code dryRun} only says
   * what it would do. At most the configured limit of actions; {@link RetentionRun#more()} says
   * when the next run has more to do.
   */
  public RetentionRun run(String tenant, boolean dryRun) {
    Instant now = now();
    PolicySet policy = config.policy.get();
    List<RetentionAction> done = new ArrayList<>();
    List<String> owed = new ArrayList<>();
    boolean more = endedConsents(policy, tenant, dryRun, now, done, owed);
    more |= collected(policy, tenant, dryRun, now, done, owed);
    RetentionRule inactive = policy.retention(Trigger.INACTIVE).stream().findFirst().orElse(null);
    more |= pendingNotices(inactive, tenant, dryRun, now, done, owed);
    if (inactive != null) {
      more |= newNotices(inactive, tenant, dryRun, now, done, owed);
    }
    audit.deliverOwed(owed, "a retention");
    return new RetentionRun(dryRun, now, done, more);
  }

  /** What was done for {@code tenant} in [from, to), oldest first (at most {@code limit}). */
  public List<RetentionAction> actions(String tenant, Instant from, Instant to, int limit) {
    return store.actions(tenant, clamp(from), clamp(to), limit);
  }

  /** Times a database column holds: years 0 to 9999. */
  private static Instant clamp(Instant at) {
    Instant first = Instant.parse("0000-01-01T00:00:00Z");
    Instant last = Instant.parse("9999-12-31T23:59:59Z");
    return at.isBefore(first) ? first : at.isAfter(last) ? last : at;
  }

  private boolean endedConsents(
      PolicySet policy,
      String tenant,
      boolean dryRun,
      Instant now,
      List<RetentionAction> done,
      List<String> owed) {
    List<RetentionRule> rules = policy.retention(Trigger.CONSENT_ENDED);
    if (rules.isEmpty()) {
      return false;
    }
    Instant cutoff =
        rules.stream().map(r -> minus(now, r.period())).max(Instant::compareTo).orElseThrow();
    for (RetentionStore.Ended e : store.endedConsents(tenant, cutoff, room(done) + 1)) {
      RetentionRule rule = ruleFor(rules, e.purpose());
      if (rule == null || plus(e.endedAt(), rule.period()).isAfter(now)) {
        continue;
      }
      if (room(done) == 0) {
        return true;
      }
      RetentionAction.Kind kind =
          rule.action() == RetentionRule.Action.DELETE
              ? RetentionAction.Kind.ERASE
              : RetentionAction.Kind.ANONYMISE;
      RetentionAction action =
          action(
              e.tenant(),
              e.subject(),
              e.purpose(),
              Trigger.CONSENT_ENDED,
              kind,
              dryRun,
              RetentionAction.Status.DONE,
              e.endedAt(),
              plus(e.endedAt(), rule.period()),
              now,
              "consent ended; the grace of " + rule.period() + " has passed");
      if (dryRun
          || recorder.record(
              action,
              now,
              owed,
              kind == RetentionAction.Kind.ERASE
                  ? Outbox.RETENTION_ERASE
                  : Outbox.RETENTION_ANONYMISE,
              Action.RETENTION_APPLIED,
              null)) {
        done.add(action);
      }
    }
    return false;
  }

  /**
   * A purpose's {@code collected} rule: data collected for it (a {@code WRITE} audit entry naming
   * it) longer ago than its period goes; the host is told per subject what was collected before
   * when. Each window of the log is read once (a watermark per tenant and purpose).
   */
  private boolean collected(
      PolicySet policy,
      String tenant,
      boolean dryRun,
      Instant now,
      List<RetentionAction> done,
      List<String> owed) {
    List<RetentionRule> rules =
        policy.retention(Trigger.COLLECTED).stream().filter(r -> r.purpose() != null).toList();
    if (rules.isEmpty() || config.audit == null) {
      return false;
    }
    CollectedScan scan = new CollectedScan(store.jdbi(), config.audit);
    for (String t : tenant == null ? scan.tenants() : List.of(tenant)) {
      for (RetentionRule rule : rules) {
        Instant from = scan.watermark(t, rule.purpose());
        Instant cutoff = minus(now, rule.period());
        if (!from.isBefore(cutoff)) {
          continue;
        }
        if (room(done) == 0) {
          return true;
        }
        java.util.Set<String> subjects =
            scan.subjects(
                t,
                rule.purpose(),
                from,
                cutoff,
                room(done) + 1,
                s -> store.acted(t, s, rule.purpose(), Trigger.COLLECTED, from));
        RetentionAction.Kind kind =
            rule.action() == RetentionRule.Action.DELETE
                ? RetentionAction.Kind.ERASE
                : RetentionAction.Kind.ANONYMISE;
        for (String subject : subjects) {
          if (room(done) == 0) {
            return true;
          }
          RetentionAction action =
              action(
                  t,
                  subject,
                  rule.purpose(),
                  Trigger.COLLECTED,
                  kind,
                  dryRun,
                  RetentionAction.Status.DONE,
                  from,
                  cutoff,
                  now,
                  "collected before " + cutoff + "; kept " + rule.period() + " for its purpose");
          String event =
              kind == RetentionAction.Kind.ERASE
                  ? Outbox.RETENTION_ERASE
                  : Outbox.RETENTION_ANONYMISE;
          if (dryRun || recorder.record(action, now, owed, event, Action.RETENTION_APPLIED, null)) {
            done.add(action);
          }
        }
        if (!dryRun) {
          scan.advance(t, rule.purpose(), cutoff);
        }
      }
    }
    return false;
  }

  private boolean pendingNotices(
      RetentionRule rule,
      String tenant,
      boolean dryRun,
      Instant now,
      List<RetentionAction> done,
      List<String> owed) {
    for (RetentionAction notice : store.pendingNotices(tenant, room(done) + 1)) {
      Instant last =
          store.jdbi().withHandle(h -> store.lastSeen(h, notice.tenant(), notice.subject()));
      boolean cameBack = last != null && last.isAfter(notice.basisAt());
      if (!cameBack && rule != null && notice.dueAt().isAfter(now)) {
        continue; // still within the notice
      }
      if (room(done) == 0) {
        return true;
      }
      RetentionAction.Kind kind =
          cameBack || rule == null ? RetentionAction.Kind.CANCEL : RetentionAction.Kind.ERASE;
      String note =
          cameBack
              ? "the principal came back after the notice"
              : rule == null
                  ? "the policy no longer has an inactive rule"
                  : "inactive since " + notice.basisAt() + "; notice given, period over";
      RetentionAction action =
          action(
              notice.tenant(),
              notice.subject(),
              EVERYTHING,
              Trigger.INACTIVE,
              kind,
              dryRun,
              RetentionAction.Status.DONE,
              notice.basisAt(),
              notice.dueAt(),
              now,
              note);
      if (dryRun) {
        done.add(action);
      } else if (kind == RetentionAction.Kind.CANCEL) {
        if (recorder.record(action, now, owed, null, Action.RETENTION_CANCELLED, notice)) {
          done.add(action);
        }
      } else {
        if (config.subjectKeys == null) {
          throw new IllegalStateException(
              "erasure for inactivity needs SubjectKeys in the configuration");
        }
        config.subjectKeys.shred(
            notice.tenant(), notice.subject()); // idempotent: first, so a crash retries
        if (recorder.record(action, now, owed, Outbox.SUBJECT_ERASED, Action.ERASE, notice)) {
          done.add(action);
        }
      }
    }
    return false;
  }

  private boolean newNotices(
      RetentionRule rule,
      String tenant,
      boolean dryRun,
      Instant now,
      List<RetentionAction> done,
      List<String> owed) {
    Instant cutoff = minus(now.plus(config.notice), rule.period());
    for (RetentionStore.LastSeen seen : store.inactive(tenant, cutoff, room(done) + 1)) {
      if (room(done) == 0) {
        return true;
      }
      Instant due = plus(seen.at(), rule.period());
      if (due.isBefore(now.plus(config.notice))) {
        due = now.plus(config.notice); // never less notice than rule 8(2) asks, however late
      }
      RetentionAction notice =
          action(
              seen.tenant(),
              seen.subject(),
              EVERYTHING,
              Trigger.INACTIVE,
              RetentionAction.Kind.NOTICE,
              dryRun,
              RetentionAction.Status.PENDING,
              seen.at(),
              due,
              null,
              "no contact since " + seen.at() + "; erasure due " + due);
      if (dryRun
          || recorder.record(
              notice, now, owed, Outbox.RETENTION_NOTICE, Action.RETENTION_NOTICE, null)) {
        done.add(notice);
      }
    }
    return false;
  }

  private RetentionAction action(
      String tenant,
      String subject,
      String purpose,
      Trigger rule,
      RetentionAction.Kind kind,
      boolean dryRun,
      RetentionAction.Status status,
      Instant basis,
      Instant due,
      Instant acted,
      String note) {
    return new RetentionAction(
        dryRun ? null : UUID.randomUUID().toString(),
        tenant,
        subject,
        purpose,
        rule,
        kind,
        dryRun ? RetentionAction.Status.PLANNED : status,
        basis,
        due,
        dryRun ? null : acted,
        note);
  }

  /** The purpose's own consent_ended rule, else the general one, else null. */
  private static RetentionRule ruleFor(List<RetentionRule> rules, String purpose) {
    return rules.stream()
        .filter(r -> purpose.equals(r.purpose()))
        .findFirst()
        .orElseGet(() -> rules.stream().filter(r -> r.purpose() == null).findFirst().orElse(null));
  }

  private int room(List<RetentionAction> done) {
    return Math.max(0, config.limit - done.size());
  }

  private static Instant plus(Instant at, Period period) {
    return at.atOffset(ZoneOffset.UTC).plus(period).toInstant();
  }

  private static Instant minus(Instant at, Period period) {
    return at.atOffset(ZoneOffset.UTC).minus(period).toInstant();
  }

  private Instant now() {
    return config.clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
