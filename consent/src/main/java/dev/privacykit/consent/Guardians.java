package dev.privacykit.consent;

import static dev.privacykit.consent.NominationChecks.invalid;
import static dev.privacykit.consent.NominationChecks.note;
import static dev.privacykit.consent.NominationChecks.reference;
import static dev.privacykit.consent.NominationChecks.required;
import static dev.privacykit.consent.NominationChecks.transition;

import dev.privacykit.audit.Action;
import dev.privacykit.policies.Guardianship;
import dev.privacykit.storage.Database;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Who may consent for a data principal (DPDP Act s.9(1), Rules 10 and 11; GDPR Art. 8).
 *
 * <ul>
 *   <li>The fiduciary marks a principal as a child or as a person with a disability who has a
 *       lawful guardian ({@link #mark}, {@link #markChild}), with the source, a reference and the
 *       date as evidence; a child's marking ends on the day she reaches the policy's age (computed
 *       from a birth date that is not kept).
 *   <li>It links a parent or lawful guardian whose adulthood and identity (Rule 10) or appointment
 *       (Rule 11) it verified ({@link #link}), recording the method, a reference to what was
 *       checked (never the document) and who checked it. A guardian who is marked a child, the ward
 *       herself, or a method that does not fit the ward are refused.
 *   <li>From then on the consent ledger takes a give or renew for the ward only from a linked
 *       guardian ({@code acting_party GUARDIAN} naming her), and the decision engine counts a
 *       consent only while the link it was given under is in force. A revoked link or a cleared
 *       marking reaches every process's cache in the change's transaction.
 * </ul>
 *
 * <p>Nothing is deleted: clearing and revoking stamp the row. Every change is an audit entry
 * ({@code GUARDIANSHIP_UPDATED}) owed in the change's transaction. Thread-safe.
 */
public final class Guardians {
  private final GuardianStore store;
  private final GuardiansConfig config;
  private final RegisterAudit audit;

  private Guardians(Database database, GuardiansConfig config) {
    this.store = new GuardianStore(database);
    this.config = config;
    this.audit =
        new RegisterAudit(
            new AuditOutbox(database, config.audit), Action.GUARDIANSHIP_UPDATED, "guardianship");
  }

  /** Opens the register on a migrated database; the configuration must name the audit log. */
  public static Guardians open(Database database, Consumer<GuardiansConfig> configure) {
    GuardiansConfig config = new GuardiansConfig();
    configure.accept(config);
    if (config.audit == null || config.ledger == null) {
      throw new IllegalArgumentException("guardianships need the audit log and the consent ledger");
    }
    return new Guardians(database, config);
  }

  /**
   * Marks a principal as a child (until the day before {@code until}, or until cleared) or as a
   * person with a disability who has a lawful guardian.
   *
   * @throws ConsentException {@code invalid-field} naming {@code kind}, {@code source}, {@code
   *     reference} or {@code until} (not after today); {@code conflict} when a marking is in force
   */
  public WardMarking mark(
      String tenant,
      String subject,
      Guardianship.Kind kind,
      WardMarking.Source source,
      String reference,
      LocalDate until,
      String actor) {
    reference("tenant", tenant);
    reference("subject", subject);
    reference("actor", actor);
    required("kind", kind);
    required("source", source);
    String ref = GuardianRules.evidenceReference("reference", reference, false);
    Instant now = now();
    LocalDate today = today(now);
    if (until != null && !until.isAfter(today)) {
      throw invalid("until", "until must be after today: the principal would not be a child");
    }
    if (until != null && kind != Guardianship.Kind.CHILD) {
      throw invalid("until", "until applies to a child only");
    }
    WardMarking marking =
        new WardMarking(
            UUID.randomUUID().toString(),
            tenant,
            subject,
            kind,
            source,
            ref,
            until,
            now,
            actor,
            null,
            null,
            null);
    return change(
        tenant,
        subject,
        actor,
        marking.id(),
        "mark",
        now,
        h -> {
          if (store.marking(h, tenant, subject, today, true).isPresent()) {
            throw new ConsentException(
                ConsentException.Kind.CONFLICT, "subject", "the subject is marked already");
          }
          GuardianStore.insert(h, marking);
          return marking;
        });
  }

  /**
   * Marks a principal born on {@code bornOn} as a child until she reaches the policy's age (18
   * under DPDP; 13 to 16 under GDPR). The birth date is used once and not kept.
   *
   * @throws ConsentException {@code invalid-field} naming {@code born_on} when it is ahead, or when
   *     the principal is no longer a child
   */
  public WardMarking markChild(
      String tenant,
      String subject,
      LocalDate bornOn,
      WardMarking.Source source,
      String reference,
      String actor) {
    required("born_on", bornOn);
    LocalDate today = today(now());
    if (bornOn.isAfter(today)) {
      throw invalid("born_on", "born_on is ahead");
    }
    LocalDate until = bornOn.plusYears(config.ledger.policy().children().age());
    if (!until.isAfter(today)) {
      throw invalid("born_on", "the principal is not a child under the policy's age");
    }
    return mark(tenant, subject, Guardianship.Kind.CHILD, source, reference, until, actor);
  }

  /**
   * Clears the principal's marking in force (recorded in error, or no longer so), with a reason.
   *
   * @throws ConsentException {@code not-found} when none is in force
   */
  public WardMarking clear(String tenant, String subject, String reason, String actor) {
    reference("tenant", tenant);
    reference("subject", subject);
    reference("actor", actor);
    String why = note("reason", reason, true);
    Instant now = now();
    return change(
        tenant,
        subject,
        actor,
        "marking",
        "clear",
        now,
        h -> {
          WardMarking m =
              store
                  .marking(h, tenant, subject, today(now), true)
                  .orElseThrow(
                      () ->
                          new ConsentException(
                              ConsentException.Kind.NOT_FOUND, "the subject is not marked"));
          // Every marking in force, should two concurrent marks have left two.
          for (WardMarking inForce : store.markings(h, tenant, subject, today(now))) {
            GuardianStore.clear(h, inForce.id(), now, actor, why);
          }
          return new WardMarking(
              m.id(),
              tenant,
              subject,
              m.kind(),
              m.source(),
              m.reference(),
              m.until(),
              m.markedAt(),
              m.markedBy(),
              now,
              actor,
              why);
        });
  }

  /**
   * Links a verified parent or lawful guardian to a marked ward.
   *
   * @throws ConsentException {@code invalid-field} naming {@code guardian} (the ward herself),
   *     {@code relation} or {@code verification/...} (a method that does not fit the ward, a
   *     missing issuer, a reference that is a document number, a time ahead); {@code conflict} when
   *     the ward is not marked, the guardian is marked a child, or the link exists; {@code
   *     limit-reached} at the limit of active guardians
   */
  public GuardianLink link(
      String tenant,
      String ward,
      String guardian,
      GuardianLink.Relation relation,
      GuardianVerification verification) {
    reference("tenant", tenant);
    reference("ward", ward);
    reference("guardian", guardian);
    if (guardian.equals(ward)) {
      throw invalid("guardian", "a ward cannot be her own guardian");
    }
    required("relation", relation);
    GuardianVerification v = GuardianRules.verification(verification, now());
    Instant now = now();
    GuardianLink link =
        new GuardianLink(
            UUID.randomUUID().toString(),
            tenant,
            ward,
            guardian,
            relation,
            v,
            now,
            null,
            null,
            null);
    return change(
        tenant,
        ward,
        v.verifiedBy(),
        link.id(),
        "link",
        now,
        h -> {
          LocalDate today = today(now);
          WardMarking marking =
              store
                  .marking(h, tenant, ward, today, true)
                  .orElseThrow(
                      () ->
                          new ConsentException(
                              ConsentException.Kind.CONFLICT,
                              "ward",
                              "mark the ward as a child or a person with a lawful guardian first"));
          GuardianRules.fits(marking.kind(), relation, v.method());
          if (store.marking(h, tenant, guardian, today, false).isPresent()) {
            throw new ConsentException(
                ConsentException.Kind.CONFLICT,
                "guardian",
                "the guardian is marked a child or a ward: a parent or guardian must be an adult"
                    + " who acts for herself (DPDP Rule 10)");
          }
          List<GuardianLink> active =
              GuardianStore.linksOfWard(h, tenant, ward).stream()
                  .filter(GuardianLink::isActive)
                  .toList();
          if (active.stream().anyMatch(l -> l.guardian().equals(guardian))) {
            throw new ConsentException(
                ConsentException.Kind.CONFLICT, "guardian", "this guardian is linked already");
          }
          if (active.size() >= config.maxActiveGuardians) {
            throw new ConsentException(
                ConsentException.Kind.LIMIT_REACHED,
                "at most " + config.maxActiveGuardians + " active guardians; revoke one first");
          }
          GuardianStore.insert(h, link);
          return link;
        });
  }

  /**
   * Revokes a guardian link; consents given under it stop counting at once.
   *
   * @throws ConsentException {@code not-found} when the ward has no such link; {@code
   *     invalid-transition} when it is revoked already
   */
  public GuardianLink revoke(
      String tenant, String ward, String linkId, String reason, String actor) {
    reference("tenant", tenant);
    reference("ward", ward);
    reference("actor", actor);
    String why = note("reason", reason, true);
    Instant now = now();
    return change(
        tenant,
        ward,
        actor,
        linkId,
        "revoke",
        now,
        h -> {
          store.marking(h, tenant, ward, today(now), true); // takes the ward's turn
          GuardianLink l =
              GuardianStore.linksOfWard(h, tenant, ward).stream()
                  .filter(x -> x.id().equals(linkId))
                  .findFirst()
                  .orElseThrow(
                      () ->
                          new ConsentException(
                              ConsentException.Kind.NOT_FOUND, "no guardian link " + linkId));
          if (!l.isActive()) {
            throw transition("guardian link " + linkId + " is revoked already");
          }
          GuardianStore.revoke(h, linkId, now, actor, why);
          return new GuardianLink(
              l.id(),
              tenant,
              ward,
              l.guardian(),
              l.relation(),
              l.verification(),
              l.recordedAt(),
              now,
              actor,
              why);
        });
  }

  /** The principal's marking in force now, if any. */
  public Optional<WardMarking> marking(String tenant, String subject) {
    return store.marking(tenant, subject, today(now()));
  }

  /** Every marking of the principal, in force or not, oldest first. */
  public List<WardMarking> markings(String tenant, String subject) {
    return store.markings(tenant, subject);
  }

  /** Every guardian link of the ward, active or not, oldest first. */
  public List<GuardianLink> links(String tenant, String ward) {
    return store.linksOfWard(tenant, ward);
  }

  /** The active links of a guardian to wards who are wards now: whom her token may act for. */
  public List<GuardianLink> wardsOf(String tenant, String guardian) {
    return store.activeLinksOfGuardian(tenant, guardian, today(now()));
  }

  /**
   * The link under which {@code guardian} may act for {@code ward} now.
   *
   * @throws ConsentException {@code guardian-not-verified}, the same whatever is missing
   */
  public GuardianLink verifyMayAct(String tenant, String ward, String guardian) {
    return store
        .activeLink(tenant, ward, guardian, today(now()))
        .orElseThrow(GuardianRules::notVerified);
  }

  private <T> T change(
      String tenant,
      String ward,
      String actor,
      String target,
      String step,
      Instant now,
      Function<Handle, T> work) {
    List<String> owed = new ArrayList<>();
    T result =
        store.inTransaction(
            h -> {
              T done = work.apply(h);
              audit.owe(h, tenant, ward, actor, "fiduciary", target, step, now, owed);
              config.ledger.changedWithin(h, tenant, ward);
              return done;
            });
    config.ledger.changedLocally(tenant, ward);
    audit.deliver(owed);
    return result;
  }

  private Instant now() {
    return config.clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  static LocalDate today(Instant now) {
    return now.atOffset(ZoneOffset.UTC).toLocalDate();
  }
}
