package dev.privacykit.server.http;

import dev.privacykit.consent.ActingParty;
import dev.privacykit.consent.ConsentChange;
import dev.privacykit.consent.ConsentEvent;
import dev.privacykit.consent.ConsentException;
import dev.privacykit.consent.ConsentLedger;
import dev.privacykit.consent.ConsentMethod;
import dev.privacykit.consent.Evidence;
import dev.privacykit.consent.Provenance;
import dev.privacykit.javalin.ProblemException;
import dev.privacykit.server.Services;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A consent change over HTTP ({@code .../consents/{purpose}/{action}}), read from its body and
 * recorded, for whoever may make it: the fiduciary's backend (who may say a verified guardian or a
 * nominee acted), a principal with her own token (for herself only: a self-asserted guardian is
 * refused), or a verified guardian with her own token (for a ward linked to her).
 */
final class ConsentChanges {
  private ConsentChanges() {}

  /** Who makes the change. */
  record By(Kind kind, String guardian) {
    enum Kind {
      SERVICE,
      SELF,
      GUARDIAN
    }

    static final By SERVICE = new By(Kind.SERVICE, null);
    static final By SELF = new By(Kind.SELF, null);

    /** A verified guardian, by her own token's subject. */
    static By guardian(String guardian) {
      return new By(Kind.GUARDIAN, guardian);
    }
  }

  static ConsentEvent apply(Context ctx, Services services, String subject, By by) {
    String purpose = Fields.path(ctx, "purpose");
    if (services.policy.purpose(purpose).isEmpty()) {
      throw new ProblemException(
          404, "unknown-purpose", "Unknown purpose", "the policy has no such purpose");
    }
    String action = ctx.pathParam("action");
    Fields body = Json.optionalBody(ctx);
    List<String> fields =
        new ArrayList<>(
            List.of(
                "notice_version",
                "language",
                "notice_hash",
                "method",
                "acting_party",
                "idempotency_key",
                "evidence"));
    if (by.kind() == By.Kind.SERVICE) {
      fields.add("guardian"); // only the backend may name the guardian who acted
    }
    body.only(fields.toArray(String[]::new));
    boolean needsNotice = action.equals("give") || action.equals("renew");
    int version =
        needsNotice
            ? body.integer("notice_version", 1, 1_000_000)
            : java.util.Objects.requireNonNullElse(
                body.optionalInteger("notice_version", 0, 1_000_000), 0);
    ConsentMethod method = body.enumValue("method", ConsentMethod.class, ConsentMethod.API);
    if (method == ConsentMethod.CONSENT_MANAGER) {
      throw ProblemException.invalid(
          "method", "a Consent Manager's change arrives as its signed artefact, not as a method");
    }
    ActingParty party = body.enumValue("acting_party", ActingParty.class, ActingParty.SELF);
    Provenance provenance = Provenance.NONE.withNoticeHash(body.optionalText("notice_hash", 64));
    switch (by.kind()) {
      case SERVICE -> {
        String guardian = body.optionalText("guardian", 256);
        if (guardian != null) {
          provenance = provenance.withGuardian(guardian, null);
        }
      }
      case SELF -> {
        if (party != ActingParty.SELF) {
          throw new ConsentException(
              ConsentException.Kind.GUARDIAN_NOT_VERIFIED,
              "acting_party",
              "a principal's own token acts for herself only; a guardian acts for her wards at"
                  + " /v1/me/wards");
        }
      }
      case GUARDIAN -> {
        if (body.has("acting_party") && party != ActingParty.GUARDIAN) {
          throw ProblemException.invalid("/acting_party", "is guardian on a ward's route");
        }
        party = ActingParty.GUARDIAN;
        provenance = provenance.withGuardian(by.guardian(), null);
      }
    }
    ConsentChange change =
        new ConsentChange(
            ConsentRoutes.tenant(ctx),
            subject,
            purpose,
            version,
            body.optionalText("language", 35),
            method,
            EvidenceFields.read(body.optionalObject("evidence"), Evidence.at(Instant.now())),
            party,
            body.optionalText("idempotency_key", 128),
            provenance);
    ConsentLedger ledger = services.ledger;
    return switch (action) {
      case "give" -> ledger.give(change);
      case "renew" -> ledger.renew(change);
      case "refuse" -> ledger.refuse(change);
      case "withdraw" -> ledger.withdraw(change);
      default ->
          throw ProblemException.invalid("{action}", "must be give, renew, refuse or withdraw");
    };
  }
}
