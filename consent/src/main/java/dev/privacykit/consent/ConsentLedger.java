package dev.privacykit.consent;

import dev.privacykit.policies.CachingConsentLookup;
import dev.privacykit.policies.ConsentAnswer;
import dev.privacykit.policies.ConsentLookup;
import dev.privacykit.policies.ConsentState;
import dev.privacykit.policies.Purpose;
import dev.privacykit.storage.ChangeFeed;
import dev.privacykit.storage.Database;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The consent ledger: every give, renew, refuse and withdraw is an event that is never changed; the
 * current state per (tenant, subject, purpose) is a projection kept in the same transaction.
 * Changes are checked against the policy (the purpose exists and relies on consent, the notice
 * version and language exist), expire after the purpose's validity period, and are recorded in the
 * audit log. {@link #lookup()} answers "what is this consent now?" from a cache that every process
 * sharing the database invalidates on change (PostgreSQL LISTEN/NOTIFY). The ledger records and
 * looks up; it does not decide: "may we process?" is the policies module's {@code DecisionEngine}
 * reading {@link #lookup()}.
 *
 * <pre>{@code
 * ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(PolicyPacks.gdpr()).audit(auditLog));
 * ledger.give(ConsentChange.of("acme", "subj_8f3a", "email_marketing", 2, "en"));
 * ledger.withdraw(ConsentChange.of("acme", "subj_8f3a", "email_marketing", 2, "en"));   // one call
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ConsentLedger implements AutoCloseable {
  private static final String CHANNEL = "privacykit_consent";
  private static final int MAX_CACHED_SUBJECTS = 200_000;

  /** How far in the future a client-supplied time may be: clocks differ, but not by more. */
  public static final java.time.Duration MAX_CLOCK_SKEW = java.time.Duration.ofMinutes(5);

  private final LedgerStore store;
  private final ProcessingHolds holds;
  private final GuardianStore guardians;
  private final ConsentLedgerConfig config;
  private final ChangeFeed feed;
  private final CachingConsentLookup lookup;

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ConsentLedger.class);

  /** Pending entries younger than this are left to the request that is delivering them. */
  private static final java.time.Duration PENDING_AGE = java.time.Duration.ofSeconds(5);

  private final AuditOutbox auditOutbox;

  private ConsentLedger(Database database, ConsentLedgerConfig config) {
    this.store = new LedgerStore(database);
    this.holds = new ProcessingHolds(database);
    this.guardians = new GuardianStore(database);
    this.config = config;
    this.lookup =
        new CachingConsentLookup(
            (tenant, subject, purpose) -> {
              try {
                return current(tenant, subject, purpose);
              } catch (RuntimeException e) {
                throw new ConsentLookup.ConsentLookupException(
                    "consent could not be read from the ledger", e);
              }
            },
            config.cacheTtl,
            MAX_CACHED_SUBJECTS);
    this.feed = ChangeFeed.open(database, CHANNEL);
    feed.subscribe(this::onChange);
    this.auditOutbox = new AuditOutbox(database, config.audit);
    try {
      auditOutbox.deliverPending(java.time.Duration.ZERO); // what a killed process left
    } catch (RuntimeException e) {
      log.warn(
          "pending consent audit entries could not be delivered at open ({}); they are retried",
          e.getClass().getSimpleName());
    }
  }

  /**
   * Opens the ledger on a migrated database.
   *
   * @throws IllegalArgumentException if no policy is set
   */
  public static ConsentLedger open(Database database, Consumer<ConsentLedgerConfig> configure) {
    ConsentLedgerConfig config = new ConsentLedgerConfig();
    configure.accept(config);
    if (config.policy == null) {
      throw new IllegalArgumentException("a consent ledger needs a policy");
    }
    return new ConsentLedger(database, config);
  }

  /** Records that the subject gave consent under the notice version shown. */
  public ConsentEvent give(ConsentChange change) {
    return record(change, ConsentState.GIVEN);
  }

  /**
   * Records renewed consent (under a newer notice version, or before it expires).
   *
   * @throws ConsentException {@code nothing-to-renew} when there is no earlier consent
   */
  public ConsentEvent renew(ConsentChange change) {
    return record(change, ConsentState.RENEWED);
  }

  /** Records that the subject refused. */
  public ConsentEvent refuse(ConsentChange change) {
    return record(change, ConsentState.REFUSED);
  }

  /** Withdraws consent: one call, as easy as giving it (GDPR Art. 7(3), DPDP s.6(4)). */
  public ConsentEvent withdraw(ConsentChange change) {
    return record(change, ConsentState.WITHDRAWN);
  }

  /**
   * Records a Global Privacy Control signal: an opt-out of every purpose the policy marks as sale,
   * sharing or targeted advertising. Returns the events recorded.
   */
  public List<ConsentEvent> recordGpc(String tenant, String subject, Evidence evidence) {
    List<ConsentEvent> events = new ArrayList<>();
    for (Purpose purpose : config.policy.get().purposes().values()) {
      if (!purpose.gpc() || !purpose.requiresConsent()) {
        continue;
      }
      ConsentAnswer now = store.answer(tenant, subject, purpose.id(), evidence.collectedAt());
      ConsentState state =
          now.state().isValidForProcessing() ? ConsentState.WITHDRAWN : ConsentState.REFUSED;
      ConsentChange change =
          new ConsentChange(
              tenant,
              subject,
              purpose.id(),
              now.noticeVersion(),
              null,
              ConsentMethod.GPC,
              evidence,
              ActingParty.SELF,
              null);
      events.add(record(change, state));
    }
    return events;
  }

  /** The subject's consent for a purpose now, read from the database. */
  public ConsentAnswer current(String tenant, String subject, String purpose) {
    Instant now = Instant.now();
    return store
        .answer(tenant, subject, purpose, now)
        .withHold(holds.holdFor(tenant, subject, purpose, now))
        .withGuardianship(guardians.guardianship(tenant, subject, purpose, Guardians.today(now)));
  }

  /** Every change of the subject's consent for a purpose, oldest first. */
  public List<ConsentEvent> history(String tenant, String subject, String purpose) {
    return store.history(tenant, subject, purpose);
  }

  /** Receives consent events one at a time, oldest first. */
  @FunctionalInterface
  public interface EventSink {
    /** Takes one event; an {@link java.io.IOException} stops the walk and is thrown on. */
    void accept(ConsentEvent event) throws java.io.IOException;
  }

  /**
   * Every consent event of a subject, all purposes, oldest first, held in memory. For a subject
   * with a long history, {@link #forEachSubjectEvent} holds one page at a time.
   */
  public List<ConsentEvent> subjectHistory(String tenant, String subject) {
    List<ConsentEvent> events = new java.util.ArrayList<>();
    try {
      forEachSubjectEvent(tenant, subject, events::add);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e); // adding to a list does no I/O
    }
    return events;
  }

  /**
   * Streams every consent event of a subject, all purposes, oldest first, to {@code sink}, reading
   * a page at a time (for access packages: memory stays bounded however long the history).
   */
  public void forEachSubjectEvent(String tenant, String subject, EventSink sink)
      throws java.io.IOException {
    long after = Long.MIN_VALUE;
    while (true) {
      LedgerStore.Page page = store.historyOfSubject(tenant, subject, after);
      for (ConsentEvent event : page.events()) {
        sink.accept(event);
      }
      if (page.events().size() < LedgerStore.HISTORY_PAGE) {
        return;
      }
      after = page.lastId();
    }
  }

  /** The subject's current consent per purpose it has a record for. */
  public Map<String, ConsentAnswer> subjectConsents(String tenant, String subject) {
    Map<String, ConsentAnswer> out = new java.util.LinkedHashMap<>();
    Instant now = Instant.now();
    for (String purpose : store.purposesOfSubject(tenant, subject)) {
      out.put(purpose, store.answer(tenant, subject, purpose, now));
    }
    return out;
  }

  /** The cached lookup for the decision engine and the middleware. */
  public ConsentLookup lookup() {
    return lookup;
  }

  /** Cache hits and misses of {@link #lookup()}, for metrics. */
  public long[] lookupStats() {
    return new long[] {lookup.hits(), lookup.misses()};
  }

  /** The outcome of {@link #importNdjson}. */
  public record ImportResult(int imported, int duplicates, List<String> errors) {}

  /**
   * Imports consent records, one JSON object per line: {@code tenant}, {@code subject}, {@code
   * purpose}, {@code state} (GIVEN, RENEWED, REFUSED, WITHDRAWN), {@code collected_at} (ISO-8601,
   * kept as the original time), {@code idempotency_key} (required: importing the same file twice
   * records nothing new), and for GIVEN/RENEWED {@code notice_version}; optional {@code language},
   * {@code channel}, {@code acting_party} ({@code GUARDIAN} with {@code guardian}, a verified
   * guardian of the subject). A bad line is reported with its number and skipped (the first {@value
   * ImportLines#MAX_ERRORS_LISTED} are listed, then a count). The whole input is read and checked
   * against the limits first ({@value ImportLines#MAX_LINES} lines of at most {@value
   * ImportLines#MAX_LINE_CHARS} characters, {@value ImportLines#MAX_TOTAL_CHARS} characters in
   * all): over a limit, nothing is imported.
   *
   * @throws ConsentException {@code too-large} or {@code invalid-field} when the input is over a
   *     limit
   */
  public ImportResult importNdjson(java.io.Reader in) throws java.io.IOException {
    return importNdjson(null, in);
  }

  /**
   * {@link #importNdjson(java.io.Reader)} for one tenant: a line may leave {@code tenant} out, and
   * a line naming another tenant is reported and skipped. For callers that act for one tenant only
   * (the HTTP API, where the token names the tenant).
   */
  public ImportResult importNdjson(String onlyTenant, java.io.Reader in)
      throws java.io.IOException {
    return new LedgerImport(change -> recordWritten(change.change(), change.state()).created())
        .read(onlyTenant, in);
  }

  /** Streams every consent event of a tenant as NDJSON, oldest first, page by page. */
  public void exportNdjson(String tenant, java.io.Writer out) throws java.io.IOException {
    long after = 0;
    while (true) {
      List<Map<String, Object>> page = store.exportPage(tenant, after, 1_000);
      for (Map<String, Object> row : page) {
        after = ((Number) row.remove("id")).longValue();
        row.replaceAll(
            (k, v) ->
                v instanceof java.time.OffsetDateTime t
                    ? t.toInstant().toString()
                    : v instanceof java.sql.Timestamp t ? t.toInstant().toString() : v);
        // A value that is not there is left out, never null: an export imports back as it is.
        row.values().removeIf(java.util.Objects::isNull);
        out.write(LedgerImport.JSON.writeValueAsString(row));
        out.write('\n');
      }
      if (page.size() < 1_000) {
        out.flush();
        return;
      }
    }
  }

  private ConsentEvent record(ConsentChange change, ConsentState state) {
    return recordWritten(change, state).event();
  }

  private LedgerStore.Written recordWritten(ConsentChange asked, ConsentState state) {
    Instant receivedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    if (asked.evidence().collectedAt().isAfter(receivedAt.plus(MAX_CLOCK_SKEW))) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD,
          asked.method() == ConsentMethod.IMPORT ? "collected_at" : "evidence/collected_at",
          "collected_at is more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes in the future");
    }
    ChangeChecks.Checked checked = ChangeChecks.check(config.policy.get(), asked, state);
    ConsentChange change =
        GuardianChecks.check(guardians, checked.purpose(), checked.change(), state, receivedAt);
    LedgerStore.Written written =
        store.write(
            change,
            state,
            checked.purpose().notice(),
            checked.purpose().basis().code(),
            checked.validUntil(),
            receivedAt,
            (h, event) -> {
              if (auditOutbox.enabled()) {
                auditOutbox.add(
                    h,
                    AuditOutbox.consentEntry(event, config.actor),
                    AuditOutbox.consentKey(event.eventId()),
                    receivedAt); // one unit with the change
              }
              changedWithin(h, change.tenant(), change.subject());
              ManagerChanges.within(h, change, event, receivedAt); // Consent Managers, both ways
            });
    if (written.created()) {
      feed.publishedLocally(payload(change.tenant(), change.subject()));
    }
    if (auditOutbox.enabled()) {
      // A retry of the change delivers an entry an earlier attempt could not.
      deliverAudit(written.event());
    }
    return written;
  }

  /**
   * Appends the change's audit entry now if it is still pending. When the audit log cannot take it
   * (a full queue, an outage), the change stands, since its entry is recorded in the change's own
   * transaction: {@link #deliverPendingAudit} appends it later, exactly once.
   */
  private void deliverAudit(ConsentEvent event) {
    try {
      auditOutbox.deliver(AuditOutbox.consentKey(event.eventId()));
    } catch (RuntimeException e) {
      log.warn(
          "the audit entry of consent event {} is pending ({}); it is delivered later",
          event.eventId(),
          e.getClass().getSimpleName());
    }
  }

  /**
   * Delivers the audit entries of consent changes that could not be appended when they were made
   * (the process died, the queue was full, the database was away), each exactly once; returns how
   * many. Runs when the ledger opens; run it from a scheduler too (the service does, every few
   * seconds).
   */
  public int deliverPendingAudit() {
    return auditOutbox.deliverPending(PENDING_AGE);
  }

  /** The guardianship tables, for access packages. */
  GuardianStore guardians() {
    return guardians;
  }

  /** The policy in force, for the registers that read it (a child's age). */
  dev.privacykit.policies.PolicySet policy() {
    return config.policy.get();
  }

  /** Tells every process, once {@code h} commits, that a subject's consents or holds changed. */
  void changedWithin(org.jdbi.v3.core.Handle h, String tenant, String subject) {
    try {
      feed.publishWithin(h.getConnection(), payload(tenant, subject));
    } catch (java.sql.SQLException e) {
      throw new org.jdbi.v3.core.ConnectionException(e);
    }
  }

  /** Tells this process, after the commit, that a subject's consents or holds changed. */
  void changedLocally(String tenant, String subject) {
    feed.publishedLocally(payload(tenant, subject));
  }

  private void onChange(String payload) {
    if (payload == null) {
      lookup.invalidateAll();
      return;
    }
    int colon = payload.indexOf(':');
    int tenantLength = Integer.parseInt(payload.substring(0, colon));
    String tenant = payload.substring(colon + 1, colon + 1 + tenantLength);
    String subject = payload.substring(colon + 1 + tenantLength);
    lookup.invalidate(tenant, subject);
  }

  /** {@code <tenant length>:<tenant><subject>}: unambiguous whatever the characters. */
  private static String payload(String tenant, String subject) {
    return tenant.length() + ":" + tenant + subject;
  }

  /** Stops listening for changes from other processes. */
  @Override
  public void close() {
    feed.close();
  }
}
