package dev.privacykit.consent;

import static dev.privacykit.consent.NominationChecks.contactReference;
import static dev.privacykit.consent.NominationChecks.invalid;
import static dev.privacykit.consent.NominationChecks.notAhead;
import static dev.privacykit.consent.NominationChecks.note;
import static dev.privacykit.consent.NominationChecks.reference;
import static dev.privacykit.consent.NominationChecks.required;
import static dev.privacykit.consent.NominationChecks.transition;

import dev.privacykit.policies.Regime;
import dev.privacykit.storage.Database;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The nomination register (DPDP Act 2023 s.14; DPDP Rules 2025 rule 14): per tenant and Data
 * Principal, the nominees she names to exercise her rights in the event of her death or incapacity,
 * and the deaths and incapacities the fiduciary verifies and records.
 *
 * <ul>
 *   <li>The principal adds nominees (at most {@link NominationsConfig#maxActiveNominees} active,
 *       one by default) with the evidence of her choice, and revokes them at any time.
 *   <li>The fiduciary records a {@link NominationEvent.Kind#DEATH death} or {@link
 *       NominationEvent.Kind#INCAPACITY incapacity} with its evidence reference and verifier, and
 *       rescinds one recorded in error, with a reason.
 *   <li>A nominee may act for the principal ({@link #verifyMayAct}, {@link #fileFor}) only while an
 *       event is in force, only if still active, and only if added no later than the event
 *       occurred: a nominee named after a death cannot have been named by the principal. Every
 *       refusal is the same {@code nomination-not-in-force}, so a caller learns nothing of other
 *       principals' registers.
 * </ul>
 *
 * <p>Nothing is deleted: a revocation or rescission is stamped once, the history is append-only,
 * and every change is an audit entry ({@code NOMINATION_UPDATED}) owed in the change's transaction.
 * Times of the register (added, recorded, revoked) are the service's clock, never the caller's, so
 * a nomination cannot be back-dated before a death.
 *
 * <p>Thread-safe; changes of one principal take turns on her register's row lock.
 */
public final class Nominations {
  private final NominationStore store;
  private final NominationsConfig config;
  private final RegisterAudit audit;

  private Nominations(Database database, NominationsConfig config) {
    this.store = new NominationStore(database);
    this.config = config;
    this.audit =
        new RegisterAudit(
            new AuditOutbox(database, config.audit),
            dev.privacykit.audit.Action.NOMINATION_UPDATED,
            "nomination");
  }

  /** Opens the register on a migrated database; the configuration must name the audit log. */
  public static Nominations open(Database database, Consumer<NominationsConfig> configure) {
    NominationsConfig config = new NominationsConfig();
    configure.accept(config);
    if (config.audit == null) {
      throw new IllegalArgumentException("the nomination register needs the audit log");
    }
    return new Nominations(database, config);
  }

  /**
   * The principal names a nominee.
   *
   * @throws ConsentException {@code invalid-field} naming {@code nominee} (also when it is the
   *     principal herself), {@code relation}, {@code contact_reference} or {@code
   *     evidence/collected_at} (missing or ahead); {@code conflict} when the nominee is active
   *     already; {@code limit-reached} at the limit of active nominees
   */
  public Nominee add(
      String tenant,
      String principal,
      String nominee,
      NomineeRelation relation,
      String contactReference,
      Evidence evidence) {
    reference("tenant", tenant);
    reference("principal", principal);
    reference("nominee", nominee);
    if (nominee.equals(principal)) {
      throw invalid("nominee", "nominee must be another individual than the principal");
    }
    required("relation", relation);
    String contact = contactReference(contactReference);
    Instant now = now();
    notAhead("evidence/collected_at", required("evidence", evidence).collectedAt(), now);
    Nominee added =
        new Nominee(
            UUID.randomUUID().toString(),
            tenant,
            principal,
            nominee,
            relation,
            contact,
            evidence,
            now,
            null,
            null);
    return change(
        tenant,
        principal,
        principal,
        "principal",
        added.id(),
        "add",
        null,
        now,
        h -> {
          List<Nominee> active =
              NominationStore.nominees(h, tenant, principal).stream()
                  .filter(Nominee::isActive)
                  .toList();
          if (active.stream().anyMatch(n -> n.nominee().equals(nominee))) {
            throw new ConsentException(
                ConsentException.Kind.CONFLICT, "nominee", "this nominee is active already");
          }
          if (active.size() >= config.maxActiveNominees) {
            throw new ConsentException(
                ConsentException.Kind.LIMIT_REACHED,
                "at most "
                    + config.maxActiveNominees
                    + " active nominee(s); revoke one before naming another");
          }
          NominationStore.insert(h, added);
          return added;
        });
  }

  /**
   * The principal revokes a nominee, at any time (also while an event is in force: a revoked
   * nominee never acts again).
   *
   * @throws ConsentException {@code not-found} when the principal has no such nominee; {@code
   *     invalid-transition} when it is revoked already
   */
  public Nominee revoke(String tenant, String principal, String nomineeId, String reason) {
    reference("tenant", tenant);
    reference("principal", principal);
    String why = note("reason", reason, false);
    Instant now = now();
    return change(
        tenant,
        principal,
        principal,
        "principal",
        nomineeId,
        "revoke",
        why,
        now,
        h -> {
          Nominee n =
              NominationStore.nominees(h, tenant, principal).stream()
                  .filter(x -> x.id().equals(nomineeId))
                  .findFirst()
                  .orElseThrow(() -> notFound("nominee", nomineeId));
          if (!n.isActive()) {
            throw transition("nominee " + nomineeId + " is revoked already");
          }
          NominationStore.revoke(h, nomineeId, now, why);
          return n.revoked(now, why);
        });
  }

  /**
   * The fiduciary records a verified death or incapacity of the principal.
   *
   * @throws ConsentException {@code invalid-field} naming {@code kind}, {@code occurred_at}
   *     (missing or ahead), {@code evidence_reference} or {@code verified_by}; {@code
   *     invalid-transition} when a death is in force, or an event of the same kind
   */
  public NominationEvent recordEvent(
      String tenant,
      String principal,
      NominationEvent.Kind kind,
      Instant occurredAt,
      String evidenceReference,
      String verifiedBy) {
    reference("tenant", tenant);
    reference("principal", principal);
    required("kind", kind);
    Instant now = now();
    Instant occurred = notAhead("occurred_at", occurredAt, now).truncatedTo(ChronoUnit.MICROS);
    reference("evidence_reference", evidenceReference);
    reference("verified_by", verifiedBy);
    NominationEvent event =
        new NominationEvent(
            UUID.randomUUID().toString(),
            tenant,
            principal,
            kind,
            occurred,
            now,
            evidenceReference,
            verifiedBy,
            null,
            null,
            null);
    String step = "record-" + kind.name().toLowerCase(Locale.ROOT);
    return change(
        tenant,
        principal,
        verifiedBy,
        "fiduciary",
        event.id(),
        step,
        null,
        now,
        h -> {
          for (NominationEvent e : NominationStore.events(h, tenant, principal)) {
            if (e.inForce() && (e.kind() == NominationEvent.Kind.DEATH || e.kind() == kind)) {
              throw transition(
                  "a " + e.kind().name().toLowerCase(Locale.ROOT) + " is recorded already");
            }
          }
          NominationStore.insert(h, event);
          return event;
        });
  }

  /**
   * The fiduciary rescinds an event recorded in error (or an incapacity that ended), with a reason;
   * nominees stop acting on it at once.
   *
   * @throws ConsentException {@code invalid-field} naming {@code reason}; {@code not-found} when
   *     the principal has no such event; {@code invalid-transition} when it is rescinded already
   */
  public NominationEvent rescindEvent(
      String tenant, String principal, String eventId, String reason, String by) {
    reference("tenant", tenant);
    reference("principal", principal);
    String why = note("reason", reason, true);
    reference("by", by);
    Instant now = now();
    return change(
        tenant,
        principal,
        by,
        "fiduciary",
        eventId,
        "rescind",
        why,
        now,
        h -> {
          NominationEvent e =
              NominationStore.events(h, tenant, principal).stream()
                  .filter(x -> x.id().equals(eventId))
                  .findFirst()
                  .orElseThrow(() -> notFound("event", eventId));
          if (!e.inForce()) {
            throw transition("event " + eventId + " is rescinded already");
          }
          NominationStore.rescind(h, eventId, now, by, why);
          return e.rescinded(now, by, why);
        });
  }

  /** The principal's nominees, active and revoked, oldest first. */
  public List<Nominee> list(String tenant, String principal) {
    return store.nominees(tenant, principal);
  }

  /**
   * The deaths and incapacities recorded for the principal, in force or rescinded, oldest first.
   */
  public List<NominationEvent> events(String tenant, String principal) {
    return store.events(tenant, principal);
  }

  /** The principal's register history: step, target id, actor, note and time, oldest first. */
  public List<Map<String, Object>> history(String tenant, String principal) {
    return store.history(tenant, principal);
  }

  /**
   * Checks that {@code nominee} may act for the principal now.
   *
   * @throws ConsentException {@code nomination-not-in-force}, the same for every reason
   */
  public void verifyMayAct(String tenant, String principal, String nominee) {
    NominationAuthority.find(store, tenant, principal, nominee)
        .orElseThrow(NominationChecks::notInForce);
  }

  /**
   * A nominee files a data-subject request for the principal: filed by {@link
   * RequestFiler#NOMINEE}, identity counted as verified (the nominee's token and the fiduciary's
   * verified event), linked to the nomination and event it was filed under.
   *
   * @throws ConsentException {@code nomination-not-in-force} unless the nominee may act now; the
   *     request's own checks otherwise (nothing stored)
   * @throws IllegalStateException when the register was opened without {@link
   *     NominationsConfig#requests}
   */
  public DataSubjectRequest fileFor(
      String tenant,
      String principal,
      String nominee,
      RequestType type,
      Regime regime,
      List<String> purposes) {
    if (config.requests == null) {
      throw new IllegalStateException("the nomination register was opened without requests");
    }
    NominationAuthority authority =
        NominationAuthority.find(store, tenant, principal, nominee)
            .orElseThrow(NominationChecks::notInForce);
    DataSubjectRequest request =
        config.requests.submit(
            new RequestIntake(
                tenant, principal, type, regime, true, purposes, RequestFiler.NOMINEE));
    Instant now = now();
    change(
        tenant,
        principal,
        nominee,
        "nominee",
        request.id(),
        "file",
        type.name().toLowerCase(Locale.ROOT),
        now,
        h -> {
          NominationStore.link(
              h,
              request.id(),
              tenant,
              principal,
              authority.nominee().id(),
              authority.event().id(),
              now);
          return request;
        });
    return request;
  }

  /**
   * The requests {@code nominee} filed for the principal, newest first, as they stand now.
   *
   * @throws ConsentException {@code nomination-not-in-force} unless the nominee may act now
   */
  public List<DataSubjectRequest> filedBy(String tenant, String principal, String nominee) {
    verifyMayAct(tenant, principal, nominee);
    List<String> nominations =
        store.nominees(tenant, principal).stream()
            .filter(n -> n.nominee().equals(nominee))
            .map(Nominee::id)
            .toList();
    List<DataSubjectRequest> out = new ArrayList<>();
    if (config.requests != null) {
      for (String id : store.requestIds(tenant, principal, nominations)) {
        config.requests.get(id).ifPresent(out::add);
      }
    }
    return out;
  }

  private <T> T change(
      String tenant,
      String principal,
      String actor,
      String role,
      String target,
      String step,
      String note,
      Instant now,
      java.util.function.Function<org.jdbi.v3.core.Handle, T> work) {
    List<String> owed = new ArrayList<>();
    T result =
        store.change(
            tenant,
            principal,
            now,
            h -> {
              T done = work.apply(h);
              NominationStore.history(h, tenant, principal, step, target, actor, note, now);
              audit.owe(h, tenant, principal, actor, role, target, step, now, owed);
              return done;
            });
    audit.deliver(owed);
    return result;
  }

  private Instant now() {
    return config.clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static ConsentException notFound(String what, String id) {
    return new ConsentException(ConsentException.Kind.NOT_FOUND, "no " + what + " " + id);
  }
}
