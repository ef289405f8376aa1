package dev.privacykit.policies;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Answers "may this actor process these data categories of this subject for this purpose now, and
 * why?" from the policy and the subject's consent.
 *
 * <p>Rules, in order: the purpose must exist; the actor must hold one of the purpose's roles (if it
 * names any); every requested category must exist and fall under the purpose's categories; special
 * categories need an Art. 9(2) condition; a GPC signal opts the subject out of purposes marked
 * {@code gpc} unless the policy lets a later explicit opt-in win; purposes that rely on consent
 * need a consent that is given or renewed, within its validity period, and not older than the
 * notice's latest material version; other bases allow. Before the basis is weighed, a restriction
 * (GDPR Art. 18) or an upheld objection (Art. 21) the lookup reports for the purpose denies it,
 * whatever the basis. A lookup that fails denies (fails closed), for every basis, since it could
 * have reported a hold. For a child, processing likely to harm her well-being, tracking,
 * behavioural monitoring and targeted advertising are denied whatever the basis (unless the purpose
 * is exempt under the Fourth Schedule to the DPDP Rules, which never lifts the first); for a child
 * or a person with a lawful guardian, consent counts only when a verified guardian gave it.
 *
 * <p>Thread-safe; reads the policy afresh on every call, so a {@link LivePolicy} reload applies at
 * once.
 */
public final class DecisionEngine {
  private final Supplier<PolicySet> policy;
  private final ConsentLookup consents;

  /** An engine on a fixed policy. */
  public DecisionEngine(PolicySet policy, ConsentLookup consents) {
    this((Supplier<PolicySet>) () -> policy, consents);
  }

  /** An engine on a reloadable policy. */
  public DecisionEngine(LivePolicy policy, ConsentLookup consents) {
    this((Supplier<PolicySet>) policy::current, consents);
  }

  /** An engine that asks {@code policy} for the policy in force on every decision. */
  public DecisionEngine(Supplier<PolicySet> policy, ConsentLookup consents) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.consents = Objects.requireNonNull(consents, "consents");
  }

  /** Decides one request. Never throws for a well-formed request. */
  public Decision decide(DecisionRequest request) {
    PolicySet set = policy.get();
    Purpose purpose = set.purpose(request.purpose()).orElse(null);
    if (purpose == null) {
      return Decision.deny(
          ReasonCode.UNKNOWN_PURPOSE,
          null,
          "purpose '" + request.purpose() + "' is not in the policy");
    }
    LawfulBasis basis = purpose.basis();
    if (!purpose.actors().isEmpty()
        && purpose.actors().stream().noneMatch(request.actorRoles()::contains)) {
      return Decision.deny(
          ReasonCode.ACTOR_NOT_PERMITTED,
          basis,
          "purpose '" + purpose.id() + "' is limited to " + sorted(purpose.actors()));
    }
    Set<String> categories =
        request.categories().isEmpty() ? purpose.categories() : request.categories();
    boolean special = false;
    for (String category : categories) {
      DataCategory known = set.category(category).orElse(null);
      if (known == null) {
        return Decision.deny(
            ReasonCode.UNKNOWN_CATEGORY,
            basis,
            "data category '" + category + "' is not in the policy");
      }
      if (!set.purposeCovers(purpose, category)) {
        return Decision.deny(
            ReasonCode.CATEGORY_NOT_IN_PURPOSE,
            basis,
            "data category '" + category + "' is outside purpose '" + purpose.id() + "'");
      }
      special |= known.isSpecial();
    }
    if (special && set.regime() == Regime.GDPR && purpose.art9Condition() == null) {
      return Decision.deny(
          ReasonCode.SPECIAL_CATEGORY_WITHOUT_CONDITION,
          basis,
          "purpose '" + purpose.id() + "' has no Art. 9(2) condition for special categories");
    }
    ConsentAnswer answer;
    try {
      answer = consents.lookup(request.tenant(), request.subject(), purpose.id());
    } catch (RuntimeException e) {
      return Decision.deny(
          ReasonCode.CONSENT_UNAVAILABLE,
          basis,
          "consent and restrictions could not be looked up; denied to be safe");
    }
    if (answer == null) {
      answer = ConsentAnswer.none();
    }
    ProcessingHold hold = answer.hold();
    if (hold != null && hold.holdsAt(request.at())) {
      return hold.kind() == ProcessingHold.Kind.RESTRICTION
          ? Decision.deny(
              ReasonCode.PROCESSING_RESTRICTED,
              basis,
              "processing for purpose '" + purpose.id() + "' is restricted (GDPR Art. 18)")
          : Decision.deny(
              ReasonCode.OBJECTION_UPHELD,
              basis,
              "the subject's objection to purpose '" + purpose.id() + "' stands (GDPR Art. 21)");
    }
    Decision forChild = ChildProtection.beforeBasis(purpose, set.regime(), answer.guardianship());
    if (forChild != null) {
      return forChild;
    }
    if (!purpose.requiresConsent()) {
      if (request.gpc() && purpose.gpc()) {
        return Decision.deny(
            ReasonCode.GPC_OPT_OUT,
            basis,
            "a Global Privacy Control signal opts out of purpose '" + purpose.id() + "'");
      }
      return Decision.allow(ReasonCode.LAWFUL_BASIS, basis, basis.citation());
    }
    Decision byConsent = consentDecision(set, purpose, answer.asOf(request.at()), request);
    return byConsent.allowed()
        ? ChildProtection.afterConsent(purpose, answer.guardianship(), byConsent)
        : byConsent;
  }

  /**
   * Decides {@code request} once for each of {@code purposes} (the request's own purpose is
   * ignored), in the order given. The batch check of the HTTP API and the middleware share this
   * path, so a decision is made the same way wherever it is asked.
   */
  public Map<String, Decision> decideEach(DecisionRequest request, Collection<String> purposes) {
    Map<String, Decision> decisions = new LinkedHashMap<>();
    for (String purpose : purposes) {
      decisions.put(
          purpose,
          decide(
              new DecisionRequest(
                  request.tenant(),
                  request.subject(),
                  purpose,
                  request.categories(),
                  request.actorRoles(),
                  request.gpc(),
                  request.at())));
    }
    return Collections.unmodifiableMap(decisions);
  }

  private static Decision consentDecision(
      PolicySet set, Purpose purpose, ConsentAnswer answer, DecisionRequest request) {
    LawfulBasis basis = purpose.basis();
    String id = purpose.id();
    switch (answer.state()) {
      case NONE:
        return Decision.deny(
            ReasonCode.NO_CONSENT, basis, "no consent recorded for purpose '" + id + "'");
      case REFUSED:
        return Decision.deny(
            ReasonCode.CONSENT_REFUSED, basis, "consent for purpose '" + id + "' was refused");
      case WITHDRAWN:
        return Decision.deny(
            ReasonCode.CONSENT_WITHDRAWN, basis, "consent for purpose '" + id + "' was withdrawn");
      case EXPIRED:
        return Decision.deny(
            ReasonCode.CONSENT_EXPIRED, basis, "consent for purpose '" + id + "' has expired");
      default:
        break;
    }
    Instant at = request.at();
    if (purpose.consentValidity() != null && answer.changedAt() != null) {
      Instant end =
          answer.changedAt().atOffset(ZoneOffset.UTC).plus(purpose.consentValidity()).toInstant();
      if (!at.isBefore(end)) {
        return Decision.deny(
            ReasonCode.CONSENT_EXPIRED,
            basis,
            "consent for purpose '"
                + id
                + "' is older than its validity of "
                + purpose.consentValidity());
      }
    }
    if (purpose.notice() != null) {
      int material = set.notice(purpose.notice()).map(Notice::latestMaterialVersion).orElse(0);
      if (answer.noticeVersion() < material) {
        return Decision.deny(
            ReasonCode.CONSENT_NEEDS_RENEWAL,
            basis,
            "consent for purpose '"
                + id
                + "' was given under notice version "
                + answer.noticeVersion()
                + "; version "
                + material
                + " changed materially");
      }
    }
    if (request.gpc() && purpose.gpc()) {
      boolean optInAfterSignal =
          answer.explicitOptIn()
              && answer.changedAt() != null
              && (answer.gpcOptOutAt() == null || answer.changedAt().isAfter(answer.gpcOptOutAt()));
      if (purpose.explicitOptInOverridesGpc() && optInAfterSignal) {
        return Decision.allow(
            ReasonCode.EXPLICIT_OPT_IN_OVER_GPC,
            basis,
            "an explicit opt-in wins over the GPC signal, as the policy allows");
      }
      return Decision.deny(
          ReasonCode.GPC_OPT_OUT,
          basis,
          "a Global Privacy Control signal opts out of purpose '" + id + "'");
    }
    return Decision.allow(ReasonCode.CONSENT_VALID, basis, basis.citation());
  }

  private static String sorted(Set<String> values) {
    return String.join(", ", new java.util.TreeSet<>(values));
  }
}
