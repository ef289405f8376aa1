package dev.privacykit.consent;

import dev.privacykit.policies.PolicySet;
import dev.privacykit.policies.ProcessingHold;
import dev.privacykit.policies.Purpose;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What restriction and objection requests do to processing: a fulfilled restriction (GDPR Art. 18)
 * or objection (Art. 21) places holds the decision engine denies on; an objection to direct
 * marketing holds from the moment it is made and can never be refused (Art. 21(3)); a lifted
 * restriction holds on until the subject has been told (Art. 18(3)).
 */
final class RequestRights {
  private final Supplier<PolicySet> policy;
  private final RecipientNotices notices;

  RequestRights(DsrConfig config) {
    this.policy = config.policy;
    this.notices = new RecipientNotices(config);
  }

  /** Checks the purposes of an intake: known ones, and only on restriction or objection. */
  void check(RequestIntake intake) {
    List<String> purposes = intake.purposes();
    if (purposes.isEmpty()) {
      return;
    }
    if (!takesPurposes(intake.type())) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD,
          "purposes",
          "only restriction, objection and human review requests name purposes");
    }
    if (purposes.size() > 64) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD, "purposes", "at most 64 purposes");
    }
    for (int i = 0; i < purposes.size(); i++) {
      String purpose = purposes.get(i);
      if (purpose == null || !purpose.matches("[A-Za-z0-9._:-]{1,128}")) {
        throw new ConsentException(
            ConsentException.Kind.INVALID_FIELD,
            "purposes/" + i,
            "a purpose id is 1 to 128 letters, digits or . _ : -");
      }
      if (policy == null) {
        continue;
      }
      Purpose known = policy.get().purpose(purpose).orElse(null);
      if (known == null) {
        throw new ConsentException(
            ConsentException.Kind.INVALID_FIELD,
            "purposes/" + i,
            "'" + purpose + "' is not a purpose of the policy");
      }
      if (intake.type() == RequestType.HUMAN_REVIEW && !known.automatedDecision()) {
        throw new ConsentException(
            ConsentException.Kind.INVALID_FIELD,
            "purposes/" + i,
            "'" + purpose + "' makes no automated decisions to review (GDPR Art. 22)");
      }
    }
  }

  static boolean takesPurposes(RequestType type) {
    return type == RequestType.RESTRICTION
        || type == RequestType.OBJECTION
        || type == RequestType.HUMAN_REVIEW;
  }

  /** The direct-marketing purposes an objection covers (all of them when it names none). */
  List<String> directMarketing(List<String> scope) {
    List<String> out = new ArrayList<>();
    if (policy == null) {
      return out;
    }
    for (Purpose purpose : policy.get().purposes().values()) {
      if (purpose.directMarketing() && (scope.isEmpty() || scope.contains(purpose.id()))) {
        out.add(purpose.id());
      }
    }
    return out;
  }

  /** At intake: an objection to direct marketing stops it at once. */
  void onIntake(RequestRow row, RequestStore.Changes changes, Instant now) {
    if (row.type() != RequestType.OBJECTION) {
      return;
    }
    List<String> marketing = directMarketing(row.purposes());
    if (!marketing.isEmpty()) {
      changes.placeHolds(row, ProcessingHold.Kind.OBJECTION, marketing, now);
      announce(row, changes, Outbox.PROCESSING_OBJECTED, marketing, now);
    }
  }

  /**
   * At fulfilment: the restriction or objection now holds for its purposes; a rectification or
   * restriction is told to the recipients of the policy (GDPR Art. 19).
   */
  void onFulfil(RequestRow row, RequestStore.Changes changes, Instant now) {
    notices.queue(row, changes, now);
    ProcessingHold.Kind kind =
        switch (row.type()) {
          case RESTRICTION -> ProcessingHold.Kind.RESTRICTION;
          case OBJECTION -> ProcessingHold.Kind.OBJECTION;
          default -> null;
        };
    if (kind == null) {
      return;
    }
    changes.placeHolds(row, kind, row.purposes(), now);
    announce(
        row,
        changes,
        kind == ProcessingHold.Kind.RESTRICTION
            ? Outbox.PROCESSING_RESTRICTED
            : Outbox.PROCESSING_OBJECTED,
        row.purposes(),
        now);
  }

  /** When an erasure is carried out: it is told to the recipients of the policy (Art. 19). */
  void onErase(RequestRow row, RequestStore.Changes changes, Instant now) {
    notices.queue(row, changes, now);
  }

  /**
   * At refusal: an objection only to direct marketing cannot be refused; one that also covers other
   * purposes may be, and its direct-marketing holds stay.
   */
  void onDeny(RequestRow row) {
    if (row.type() != RequestType.OBJECTION) {
      return;
    }
    List<String> marketing = directMarketing(row.purposes());
    boolean onlyMarketing = !row.purposes().isEmpty() && marketing.size() == row.purposes().size();
    if (onlyMarketing) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_TRANSITION,
          "an objection to direct marketing cannot be refused (GDPR Art. 21(3))");
    }
  }

  private static void announce(
      RequestRow row,
      RequestStore.Changes changes,
      String type,
      List<String> purposes,
      Instant at) {
    List<String> each = purposes.isEmpty() ? java.util.Collections.singletonList(null) : purposes;
    for (String purpose : each) {
      changes.announce(
          row.tenant(),
          type,
          Outbox.payload(type, row.tenant(), row.subject(), purpose, row.id(), at),
          at);
    }
  }
}
