package dev.privacykit.consent;

import static dev.privacykit.consent.IncidentChecks.doneAt;
import static dev.privacykit.consent.IncidentChecks.handling;
import static dev.privacykit.consent.IncidentChecks.nextDue;
import static dev.privacykit.consent.IncidentChecks.notAhead;
import static dev.privacykit.consent.IncidentChecks.reference;
import static dev.privacykit.consent.IncidentChecks.requireHandling;
import static dev.privacykit.consent.IncidentChecks.requireNotFinal;
import static dev.privacykit.consent.IncidentChecks.transition;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.Verification;
import dev.privacykit.policies.Regime;
import dev.privacykit.storage.Database;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The breach register (GDPR Art. 33 and 34; DPDP Act s.8(6) and DPDP Rules 2025 rule 7): personal
 * data breaches with the clocks of the authority's notification, the principals' intimation and the
 * DPDP detailed report (see {@link Incident}); the affected principals found in the audit log and
 * told through one signed {@code breach.notice} webhook each, tracked to delivery; drafts of the
 * authority's report ({@link IncidentReports}); and candidates raised from suspicious patterns (a
 * failed audit verification, unusual decrypts or exports by one actor, repeated denials) that a
 * person confirms or dismisses. Every step is an audit entry written in the step's transaction.
 *
 * <p>An incident's {@code detected_at} is fixed when it is recorded and may not lie more than five
 * minutes ahead, notifications are recorded once, and nothing is deleted: a breach cannot be
 * back-dated out of its clocks or quietly removed.
 *
 * <p>Thread-safe; steps lock the incident's row.
 */
public final class Incidents {
  /** How far ahead of the clock a detection time may lie (clock skew between machines). */
  public static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);

  private final IncidentStore store;
  private final IncidentsConfig config;
  private final IncidentAudit audit;
  private final IncidentDetector detector;

  private Incidents(Database database, IncidentsConfig config) {
    this.store = new IncidentStore(database);
    this.config = config;
    this.audit = new IncidentAudit(new AuditOutbox(database, config.audit), config.actor);
    this.detector = new IncidentDetector(config.audit, config);
  }

  /** Opens the register on a migrated database; the configuration must name the audit log. */
  public static Incidents open(Database database, Consumer<IncidentsConfig> configure) {
    IncidentsConfig config = new IncidentsConfig();
    configure.accept(config);
    if (config.audit == null) {
      throw new IllegalArgumentException("the breach register needs the audit log");
    }
    return new Incidents(database, config);
  }

  /**
   * Records a breach the fiduciary became aware of at {@code detectedAt}; it starts {@link
   * IncidentStatus#OPEN}.
   *
   * @throws ConsentException {@code invalid-field} naming {@code tenant}, {@code regime}, {@code
   *     detected_at} (missing, or more than five minutes ahead) or a field of the details
   */
  public Incident record(
      String tenant, Regime regime, Instant detectedAt, IncidentDetails details) {
    if (tenant == null || tenant.isBlank() || tenant.length() > 256) {
      throw IncidentDetails.invalid("tenant", "tenant must be 1 to 256 characters");
    }
    if (regime == null) {
      throw IncidentDetails.invalid("regime", "regime is required: GDPR or DPDP");
    }
    if (details == null) {
      throw IncidentDetails.invalid("nature", "nature is required");
    }
    Instant now = now();
    Instant detected = notAhead("detected_at", detectedAt, now);
    return insert(tenant, regime, IncidentStatus.OPEN, "manual", null, detected, details, now)
        .orElseThrow();
  }

  /** Replaces what is known of the incident (GDPR Art. 33(4); rule 7(2)(b)(i): updated details). */
  public Incident update(String id, IncidentDetails details) {
    if (details == null) {
      throw IncidentDetails.invalid("nature", "nature is required");
    }
    return step(
        id,
        "update",
        "details updated",
        null,
        (incident, h, now) -> {
          requireNotFinal(incident);
          IncidentStore.describe(h, id, details);
          return incident.status();
        });
  }

  /**
   * Records the notification of the authority (supervisory authority; the Board under DPDP), made
   * at {@code at} (now when null) under the authority's {@code reference}. Recorded once.
   */
  public Incident notifyAuthority(String id, Instant at, String reference) {
    String ref = reference("reference", reference);
    return step(
        id,
        "notify-authority",
        "authority notified" + (ref == null ? "" : " (" + ref + ")"),
        "authority",
        (incident, h, now) -> {
          requireHandling(incident);
          if (incident.authorityNotifiedAt() != null) {
            throw transition("incident " + id + " already records the authority's notification");
          }
          IncidentStore.set(
              h,
              id,
              "authority_notified_at = :v1, authority_reference = :v2",
              doneAt(incident, at, now),
              ref);
          return incident.status();
        });
  }

  /** Records the DPDP rule 7(2)(b) detailed report as filed. Recorded once; DPDP only. */
  public Incident fileReport(String id, Instant at, String reference) {
    String ref = reference("reference", reference);
    return step(
        id,
        "file-report",
        "detailed report filed" + (ref == null ? "" : " (" + ref + ")"),
        "authority",
        (incident, h, now) -> {
          requireHandling(incident);
          if (incident.regime() != Regime.DPDP) {
            throw transition("the detailed report of rule 7(2)(b) is a DPDP duty");
          }
          if (incident.reportFiledAt() != null) {
            throw transition("incident " + id + " already records its detailed report");
          }
          IncidentStore.set(
              h,
              id,
              "report_filed_at = :v1, report_reference = :v2",
              doneAt(incident, at, now),
              ref);
          return incident.status();
        });
  }

  /**
   * Finds the affected principals in the audit log ({@code search}) and attaches those not yet
   * attached; the step's note says how many were found and how many were new.
   */
  public Incident findAffected(String id, AffectedSearch search) {
    Incident found = get(id).orElseThrow(() -> notFound(id));
    requireHandling(found);
    Set<String> subjects = detector.affected(found.tenant(), search);
    return step(
        id,
        "find-affected",
        subjects.size() + " principal(s) found in the audit log",
        null,
        (current, h, now) -> {
          requireHandling(current);
          IncidentStore.attach(h, id, subjects, now);
          return current.status();
        });
  }

  /**
   * Queues one {@code breach.notice} webhook event per attached principal not yet told, in one
   * transaction with the step (the host sends each principal the message); stamps the principals'
   * clock the first time.
   *
   * @throws ConsentException {@code invalid-transition} when no principal is attached or all were
   *     told already
   */
  public Incident notifyPrincipals(String id) {
    return step(
        id,
        "notify-principals",
        "breach notices queued",
        "principals",
        (incident, h, now) -> {
          requireHandling(incident);
          List<String> subjects = IncidentStore.unnotified(h, id);
          if (subjects.isEmpty()) {
            throw transition(
                incident.principals() == 0
                    ? "incident " + id + " has no affected principals: find them first"
                    : "every affected principal of incident " + id + " has been notified");
          }
          for (String subject : subjects) {
            String event =
                Outbox.add(
                    h,
                    incident.tenant(),
                    Outbox.BREACH_NOTICE,
                    Outbox.payload(Outbox.BREACH_NOTICE, incident.tenant(), subject, null, id, now),
                    now);
            IncidentStore.notified(h, id, subject, event, now);
          }
          if (incident.principalsNotifiedAt() == null) {
            IncidentStore.set(h, id, "principals_notified_at = :v1", now, null);
          }
          return incident.status();
        });
  }

  /** Marks the breach contained. */
  public Incident contain(String id, String note) {
    return status(id, "contain", note, false, IncidentStatus.OPEN, IncidentStatus.CONTAINED);
  }

  /** Closes the incident, with a note saying why (required). */
  public Incident close(String id, String note) {
    return status(id, "close", note, true, null, IncidentStatus.CLOSED);
  }

  /** Confirms a candidate as a breach: it becomes open; its clocks ran from when it was raised. */
  public Incident confirm(String id, String note) {
    return status(id, "confirm", note, false, IncidentStatus.CANDIDATE, IncidentStatus.OPEN);
  }

  /** Dismisses a candidate as no breach, with a note saying why (required). */
  public Incident dismiss(String id, String note) {
    return status(id, "dismiss", note, true, IncidentStatus.CANDIDATE, IncidentStatus.DISMISSED);
  }

  /** The incident with this id, clocks as of now. */
  public Optional<Incident> get(String id) {
    return store.find(id, now());
  }

  /**
   * A tenant's incidents with their clocks as of now: overdue ones first, then those with the
   * soonest clock still running, then the rest, newest first.
   */
  public List<Incident> list(String tenant) {
    Instant far = Instant.MAX;
    return store.list(tenant, now()).stream()
        .sorted(
            Comparator.comparing((Incident i) -> !i.isOverdue())
                .thenComparing(i -> i.status().isFinal() ? far : nextDue(i, far))
                .thenComparing(Incident::detectedAt, Comparator.reverseOrder()))
        .toList();
  }

  /** The incident's history: status and note per step, oldest first. */
  public List<Map<String, Object>> history(String id) {
    return store.history(id);
  }

  /** Each attached principal's notice and where its delivery stands, by subject. */
  public List<IncidentNotice> notices(String id) {
    return store.notices(id);
  }

  /**
   * Scans {@code [from, to)} of every tenant this module knows (and those configured) for unusual
   * decrypts or exports by one actor and repeated denied accesses, and raises a candidate per
   * tenant, signal, actor and window; a window scanned again raises nothing new. Returns the
   * candidates raised now.
   */
  public List<Incident> detect(Instant from, Instant to) {
    if (from == null || to == null || !to.isAfter(from)) {
      throw IncidentDetails.invalid("to", "the window needs from before to");
    }
    List<Incident> raised = new ArrayList<>();
    for (String tenant : tenants()) {
      for (IncidentDetector.Signal s : detector.scan(tenant, from, to)) {
        candidate(tenant, s.kind(), s.key(from, to), s.details(from, to)).ifPresent(raised::add);
      }
    }
    return raised;
  }

  /**
   * Raises a candidate in every tenant the detector scans when {@code verification} failed (the log
   * is shared, so its break concerns them all); once per failure kind and seq. Returns those
   * raised.
   */
  public List<Incident> auditVerificationFailed(Verification verification) {
    List<Incident> raised = new ArrayList<>();
    if (verification.ok()) {
      return raised;
    }
    Verification.Failure failure = verification.failure().orElseThrow();
    // The failure's seq and hashes are the operator's (the log spans every tenant): only its kind.
    String nature =
        "audit log verification failed ("
            + failure.kind()
            + "): the access log may have been altered; the operator holds the details";
    for (String tenant : tenants()) {
      candidate(
              tenant,
              "audit_verification",
              "audit_verification:" + failure.kind() + ":" + failure.seq(),
              IncidentDetails.of(nature))
          .ifPresent(raised::add);
    }
    return raised;
  }

  private Optional<Incident> candidate(
      String tenant, String source, String key, IncidentDetails details) {
    Instant now = now();
    return insert(tenant, config.regime, IncidentStatus.CANDIDATE, source, key, now, details, now);
  }

  private Optional<Incident> insert(
      String tenant,
      Regime regime,
      IncidentStatus status,
      String source,
      String key,
      Instant detected,
      IncidentDetails details,
      Instant now) {
    String id = UUID.randomUUID().toString();
    List<String> owed = new ArrayList<>();
    boolean inserted;
    try {
      inserted =
          store.insert(
              id,
              tenant,
              regime,
              status,
              source,
              key,
              detected,
              details,
              now,
              h -> audit.owe(h, tenant, id, "record", Action.INCIDENT_RECORDED, null, now, owed));
    } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
      if (key == null) {
        throw e;
      }
      return Optional.empty(); // another process raised the same candidate at the same moment
    }
    if (!inserted) {
      return Optional.empty();
    }
    audit.deliver(owed);
    return get(id);
  }

  private Incident status(
      String id,
      String step,
      String note,
      boolean noteRequired,
      IncidentStatus from,
      IncidentStatus to) {
    if (note != null && (note.isBlank() || note.length() > 1000)) {
      throw IncidentDetails.invalid("note", "note must be 1 to 1000 characters");
    }
    if (note == null && noteRequired) {
      throw IncidentDetails.invalid("note", "note is required: say why");
    }
    return step(
        id,
        step,
        step + (note == null ? "" : ": " + note),
        null,
        (incident, h, now) -> {
          if (from != null ? incident.status() != from : !handling(incident)) {
            throw transition(
                "incident " + id + " is " + incident.status() + "; " + step + " does not apply");
          }
          return to;
        });
  }

  private Incident step(
      String id, String step, String note, String recipient, IncidentStore.Step change) {
    List<String> owed = new ArrayList<>();
    Instant now = now();
    store.transition(
        id,
        note == null ? step : note,
        now,
        change,
        (h, incident, next) ->
            audit.owe(
                h, incident.tenant(), id, step, Action.INCIDENT_UPDATED, recipient, now, owed));
    audit.deliver(owed);
    return get(id).orElseThrow();
  }

  private Set<String> tenants() {
    Set<String> tenants = new LinkedHashSet<>(store.knownTenants());
    tenants.addAll(config.tenants);
    return tenants;
  }

  private Instant now() {
    return config.clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  static ConsentException notFound(String id) {
    return new ConsentException(ConsentException.Kind.NOT_FOUND, "no incident " + id);
  }
}
