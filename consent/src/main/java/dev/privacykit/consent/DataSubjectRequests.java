package dev.privacykit.consent;

import static dev.privacykit.consent.RequestChecks.check;
import static dev.privacykit.consent.RequestChecks.require;
import static dev.privacykit.consent.RequestChecks.requireOpen;

import dev.privacykit.audit.Action;
import dev.privacykit.policies.Regime;
import dev.privacykit.storage.Database;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Data-subject requests (access, rectification, erasure, restriction, portability, objection,
 * nomination, grievance) carried to their legal deadline: intake with identity-verification state,
 * regime-aware due dates that pause while identity is unverified, extension with a recorded reason
 * (GDPR), statuses with a history, denial with a reason code, and a query for what is due soon or
 * overdue. Erasure shreds the subject's key. Every transition is an audit entry.
 *
 * <p>Thread-safe; transitions lock the request's row.
 */
public final class DataSubjectRequests {
  private final RequestStore store;
  final DsrConfig config;
  private final RequestAudit audit;
  private final ProcessingHolds holds;
  private final RequestRights rights;

  private DataSubjectRequests(Database database, DsrConfig config) {
    this.store = new RequestStore(database, config.ledger);
    this.holds = new ProcessingHolds(database);
    this.rights = new RequestRights(config);
    this.config = config;
    this.audit = new RequestAudit(new AuditOutbox(database, config.audit), config.actor);
    audit.deliverPendingAtOpen();
  }

  /** Opens the requests on a migrated database. */
  public static DataSubjectRequests open(Database database, Consumer<DsrConfig> configure) {
    DsrConfig config = new DsrConfig();
    configure.accept(config);
    return new DataSubjectRequests(database, config);
  }

  /**
   * Takes in a request. When identity is not yet verified it starts in {@link
   * RequestStatus#VERIFYING} and its clock is paused from the start.
   */
  public DataSubjectRequest submit(
      String tenant, String subject, RequestType type, Regime regime, boolean identityVerified) {
    return submit(RequestIntake.of(tenant, subject, type, regime, identityVerified));
  }

  /**
   * Takes in a request, with the purposes a restriction or objection concerns and who filed it. An
   * objection that covers direct marketing stops it at once (GDPR Art. 21(3)); everything else
   * takes effect when the request is fulfilled.
   *
   * @throws ConsentException {@code invalid-field} naming the field that is wrong
   */
  public DataSubjectRequest submit(RequestIntake intake) {
    check("tenant", intake.tenant());
    check("subject", intake.subject());
    rights.check(intake);
    Instant now = now();
    String id = UUID.randomUUID().toString();
    RequestStatus status = intake.identityVerified() ? RequestStatus.OPEN : RequestStatus.VERIFYING;
    List<String> owed = new java.util.ArrayList<>();
    store.insert(
        id,
        intake,
        status,
        now,
        DueDates.due(intake.regime(), now, 0, 0),
        (h, row, changes) -> {
          audit.received(
              h, intake.tenant(), intake.subject(), id, intake.type(), status, now, owed);
          rights.onIntake(row, changes, now);
        });
    DataSubjectRequest request = get(id).orElseThrow();
    audit.deliver(owed);
    return request;
  }

  /** Asks the requester to prove their identity: the clock pauses until they do. */
  public DataSubjectRequest requestVerification(String id) {
    return transition(
        id,
        "verification requested",
        (row, changes, now) -> {
          require(row, RequestStatus.OPEN, RequestStatus.IN_PROGRESS);
          changes.pause(now);
          return RequestStatus.VERIFYING;
        });
  }

  /**
   * Records the outcome of identity verification: verified resumes the clock (the paused time is
   * added to the due date); not verified denies the request with {@link
   * DenialReason#IDENTITY_NOT_VERIFIED}.
   */
  public DataSubjectRequest verifyIdentity(String id, boolean verified) {
    return transition(
        id,
        verified ? "identity verified" : "identity not verified",
        (row, changes, now) -> {
          require(row, RequestStatus.VERIFYING);
          long paused =
              row.paused() + Math.max(0, Duration.between(row.pausedSince(), now).getSeconds());
          if (verified) {
            changes.resume(paused);
            return RequestStatus.OPEN;
          }
          changes.denyUnverified(paused);
          return RequestStatus.DENIED;
        });
  }

  /** Starts work on an open request. */
  public DataSubjectRequest start(String id) {
    return transition(
        id,
        "work started",
        (row, changes, now) -> {
          require(row, RequestStatus.OPEN);
          changes.start();
          return RequestStatus.IN_PROGRESS;
        });
  }

  /**
   * Extends the deadline by {@code months} (GDPR Art. 12(3): at most two months in all, with the
   * reason recorded and told to the requester).
   *
   * @throws ConsentException {@code extension-not-allowed} under DPDP, past two months, or without
   *     a reason
   */
  public DataSubjectRequest extend(String id, int months, String reason) {
    if (reason == null || reason.isBlank() || reason.length() > 1000) {
      throw new ConsentException(
          ConsentException.Kind.EXTENSION_NOT_ALLOWED,
          "an extension needs a reason of 1 to 1000 characters");
    }
    return transition(
        id,
        "extended by " + months + " month(s): " + reason,
        (row, changes, now) -> {
          requireOpen(row);
          if (row.regime() != Regime.GDPR) {
            throw new ConsentException(
                ConsentException.Kind.EXTENSION_NOT_ALLOWED,
                "the DPDP deadline cannot be extended");
          }
          if (months < 1 || row.extended() + months > 2) {
            throw new ConsentException(
                ConsentException.Kind.EXTENSION_NOT_ALLOWED,
                "GDPR allows at most two months of extension in all");
          }
          changes.extend(row.extended() + months, reason);
          return row.status();
        });
  }

  /** Marks the request done, with a note of what was done. */
  public DataSubjectRequest fulfil(String id, String note) {
    DataSubjectRequest done =
        transition(
            id,
            note,
            (row, changes, now) -> {
              require(row, RequestStatus.OPEN, RequestStatus.IN_PROGRESS);
              if (row.type() == RequestType.ERASURE) {
                // Announcing an erasure that did not happen would mislead every host backend.
                throw new ConsentException(
                    ConsentException.Kind.INVALID_TRANSITION,
                    "an erasure request is fulfilled by erase, which shreds the subject's key");
              }
              changes.fulfil(note);
              rights.onFulfil(row, changes, now);
              return RequestStatus.FULFILLED;
            });
    return done;
  }

  /** Refuses the request with a reason code (and a note for the requester). */
  public DataSubjectRequest deny(String id, DenialReason reason, String note) {
    return transition(
        id,
        reason + (note == null ? "" : ": " + note),
        (row, changes, now) -> {
          requireOpen(row);
          rights.onDeny(row);
          changes.deny(reason, note);
          return RequestStatus.DENIED;
        });
  }

  /**
   * Carries out an erasure request: shreds the subject's key, so every copy of their encrypted data
   * (fields, backups, audit bodies) becomes unreadable, records what was erased, and fulfils the
   * request. Consent records stay as proof, under the pseudonymous reference.
   */
  public DataSubjectRequest erase(String id) {
    if (config.subjectKeys == null) {
      throw new IllegalStateException("erasure needs SubjectKeys in the configuration");
    }
    // Under the request's row lock: a second erasure of the same request waits, then finds it
    // fulfilled and is refused, so the shred is announced and audited once.
    DataSubjectRequest done =
        transition(
            id,
            "erasure",
            Action.ERASE,
            (row, changes, now) -> {
              if (row.type() != RequestType.ERASURE) {
                throw new ConsentException(
                    ConsentException.Kind.INVALID_TRANSITION,
                    "request " + id + " is not an erasure request");
              }
              if (row.status() == RequestStatus.VERIFYING) {
                throw new ConsentException(
                    ConsentException.Kind.INVALID_TRANSITION,
                    "request " + id + " is waiting for identity verification; verify it first");
              }
              require(row, RequestStatus.OPEN, RequestStatus.IN_PROGRESS);
              boolean shredded = config.subjectKeys.shred(row.tenant(), row.subject());
              int identifiers = changes.deleteIdentifiers(row.tenant(), row.subject());
              String note =
                  (shredded ? "subject key shredded" : "no subject key existed")
                      + "; "
                      + identifiers
                      + " identifier(s) removed"
                      + "; encrypted personal data, backups and audit bodies are unreadable;"
                      + " consent records kept as proof";
              changes.note(note);
              changes.fulfil(note);
              rights.onErase(row, changes, now);
              changes.announce(
                  row.tenant(),
                  Outbox.SUBJECT_ERASED,
                  Outbox.payload(
                      Outbox.SUBJECT_ERASED, row.tenant(), row.subject(), null, row.id(), now),
                  now);
              return RequestStatus.FULFILLED;
            });
    return done;
  }

  /**
   * Writes the access package of an access or portability request: the subject's current consents,
   * their full history, and the audit log's subject access report with the checkpoint it was
   * computed against. JSON is one document; CSV has a {@code section} column.
   */
  public void writeAccessPackage(
      String id, dev.privacykit.audit.ExportFormat format, java.io.Writer out)
      throws java.io.IOException {
    DataSubjectRequest request = get(id).orElseThrow(() -> notFound(id));
    if (request.type() != RequestType.ACCESS && request.type() != RequestType.PORTABILITY) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_TRANSITION,
          "request " + id + " is not an access or portability request");
    }
    if (config.ledger == null || config.audit == null) {
      throw new IllegalStateException(
          "access packages need the consent ledger and the audit log in the configuration");
    }
    SubjectPackages.write(request, config, format, out, now());
  }

  /**
   * Lifts a fulfilled restriction. The subject is told first (GDPR Art. 18(3)): a {@code
   * restriction.lifting} webhook goes out now and the restriction keeps holding for the configured
   * notice ({@link DsrConfig#restrictionLiftNotice}, a day by default).
   *
   * @throws ConsentException {@code invalid-transition} when no restriction of this request holds
   */
  public DataSubjectRequest liftRestriction(String id, String reason) {
    if (reason == null || reason.isBlank() || reason.length() > 1000) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD, "reason must be 1 to 1000 characters");
    }
    return transition(
        id,
        "restriction lifting: " + reason,
        (row, changes, now) -> {
          require(row, RequestStatus.FULFILLED);
          Instant liftsAt = now.plus(config.restrictionLiftNotice);
          if (row.type() != RequestType.RESTRICTION
              || changes.liftHolds(row, liftsAt, reason) == 0) {
            throw new ConsentException(
                ConsentException.Kind.INVALID_TRANSITION,
                "request " + id + " has no restriction in force to lift");
          }
          changes.note("restriction lifts at " + liftsAt + ": " + reason);
          changes.announce(
              row.tenant(),
              Outbox.RESTRICTION_LIFTING,
              Outbox.payload(
                  Outbox.RESTRICTION_LIFTING, row.tenant(), row.subject(), null, id, liftsAt),
              now);
          return RequestStatus.FULFILLED;
        });
  }

  /**
   * The requester withdraws a request not yet answered. Withdrawing an objection also ends the
   * direct-marketing hold it placed: the subject no longer objects.
   */
  public DataSubjectRequest withdraw(String id) {
    return transition(
        id,
        "withdrawn by the requester",
        (row, changes, now) -> {
          requireOpen(row);
          if (row.type() == RequestType.OBJECTION) {
            changes.liftHolds(row, now, "objection withdrawn");
          }
          changes.withdraw();
          return RequestStatus.WITHDRAWN;
        });
  }

  /** A subject's requests, newest first (at most 500), due dates as of now. */
  public List<DataSubjectRequest> ofSubject(String tenant, String subject) {
    return store.ofSubject(tenant, subject).stream().map(this::view).toList();
  }

  /**
   * The restrictions and objections of a subject that hold now or are being lifted: request id,
   * purpose ({@code *} for all), kind, since and lifts_at.
   */
  public List<Map<String, Object>> holds(String tenant, String subject) {
    return holds.standing(tenant, subject, now());
  }

  /**
   * Open requests of a tenant due within {@code window} from now (overdue ones included), soonest
   * first.
   */
  public List<DataSubjectRequest> dueWithin(String tenant, Duration window) {
    Instant limit = now().plus(window);
    return unclosed(tenant).stream().filter(r -> !r.dueAt().isAfter(limit)).toList();
  }

  /**
   * Every request of {@code tenant} not yet closed (of every tenant when null), due dates as of
   * now, soonest first: what dashboards count as open, due soon and overdue.
   */
  public List<DataSubjectRequest> unclosed(String tenant) {
    return store.unclosed(tenant).stream()
        .map(this::view)
        .sorted(Comparator.comparing(DataSubjectRequest::dueAt))
        .toList();
  }

  /** Expires requests that have waited for identity verification longer than {@code maxWait}. */
  public int expireUnverified(Duration maxWait) {
    Instant cutoff = now().minus(maxWait);
    List<String> stale = store.verifyingSince(cutoff);
    for (String id : stale) {
      transition(
          id,
          "identity not verified within " + maxWait.toDays() + " days",
          (row, changes, now) -> {
            require(row, RequestStatus.VERIFYING);
            changes.expire();
            return RequestStatus.EXPIRED;
          });
    }
    return stale.size();
  }

  /** The request with this id, due date as of now. */
  public Optional<DataSubjectRequest> get(String id) {
    return store.find(id).map(this::view);
  }

  /** The request's history: status and note per transition, oldest first. */
  public List<Map<String, Object>> history(String id) {
    return store.history(id);
  }

  private DataSubjectRequest transition(String id, String note, RequestStore.Step step) {
    return transition(id, note, null, step);
  }

  /**
   * Applies a step; its audit entries ({@code also} too, when not null) are written in the step's
   * transaction and appended after it, so a step and its entries are one unit.
   */
  private DataSubjectRequest transition(
      String id, String note, Action also, RequestStore.Step step) {
    List<String> owed = new java.util.ArrayList<>();
    Instant now = now();
    store.transition(id, note, now, step, audit.afterStep(id, also, now, owed));
    DataSubjectRequest request = get(id).orElseThrow();
    audit.deliver(owed);
    return request;
  }

  /**
   * Delivers audit entries of request steps (and consent changes) that could not be appended when
   * they were made, each exactly once; returns how many. Runs when this opens; the service also
   * runs it from its scheduler.
   */
  public int deliverPendingAudit() {
    return audit.deliverPending();
  }

  private DataSubjectRequest view(RequestRow row) {
    long paused =
        row.paused()
            + (row.pausedSince() == null
                ? 0
                : Math.max(0, Duration.between(row.pausedSince(), now()).getSeconds()));
    return new DataSubjectRequest(
        row.id(),
        row.tenant(),
        row.subject(),
        row.type(),
        row.regime(),
        row.status(),
        row.received(),
        DueDates.due(row.regime(), row.received(), row.extended(), paused),
        row.extended(),
        row.denial(),
        row.note(),
        row.purposes(),
        row.filedBy());
  }

  private Instant now() {
    return config.clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  static ConsentException notFound(String id) {
    return new ConsentException(ConsentException.Kind.NOT_FOUND, "no data-subject request " + id);
  }
}
