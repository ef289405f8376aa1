package dev.privacykit.examples.readme;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.consent.ActingParty;
import dev.privacykit.consent.ConsentChange;
import dev.privacykit.consent.ConsentEvent;
import dev.privacykit.consent.ConsentLedger;
import dev.privacykit.consent.GuardianLink;
import dev.privacykit.consent.GuardianVerification;
import dev.privacykit.consent.Guardians;
import dev.privacykit.consent.Provenance;
import dev.privacykit.consent.WardMarking;
import dev.privacykit.storage.Database;
import java.time.Instant;
import java.time.LocalDate;

/** consent/README.md's guardianship snippet, compiled and run by ReadmeSnippetsTest. */
public final class GuardiansReadme {
  private GuardiansReadme() {}

  /** Runs the snippet; returns the consent the parent gave for her child. */
  public static ConsentEvent run(
      Database db, AuditLog auditLog, ConsentLedger ledger, LocalDate bornOn) {
    // readme:begin
    Guardians guardians = Guardians.open(db, c -> c.audit(auditLog).ledger(ledger));
    guardians.markChild(
        "acme",
        "subj_kid",
        bornOn,
        WardMarking.Source.DECLARED_BY_PRINCIPAL,
        "age-gate-7",
        "op:signup");
    guardians.link(
        "acme",
        "subj_kid",
        "subj_mum",
        GuardianLink.Relation.PARENT,
        new GuardianVerification(
            GuardianVerification.Method.VIRTUAL_TOKEN,
            "dl-tok-81f2",
            "digilocker",
            Instant.now(),
            "op:kyc"));
    ConsentEvent given =
        ledger.give(
            ConsentChange.of("acme", "subj_kid", "email_marketing", 2, "en")
                .withActingParty(ActingParty.GUARDIAN)
                .withProvenance(Provenance.NONE.withGuardian("subj_mum", null)));
    // readme:end
    return given;
  }
}
