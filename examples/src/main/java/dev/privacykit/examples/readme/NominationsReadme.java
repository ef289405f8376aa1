package dev.privacykit.examples.readme;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.consent.DataSubjectRequest;
import dev.privacykit.consent.DataSubjectRequests;
import dev.privacykit.consent.Evidence;
import dev.privacykit.consent.NominationEvent;
import dev.privacykit.consent.Nominations;
import dev.privacykit.consent.NomineeRelation;
import dev.privacykit.consent.RequestType;
import dev.privacykit.policies.Regime;
import dev.privacykit.storage.Database;
import java.time.Instant;
import java.util.List;

/** consent/README.md's nomination snippet, compiled and run by ReadmeSnippetsTest. */
public final class NominationsReadme {
  private NominationsReadme() {}

  /** Runs the snippet; returns the request the nominee filed. */
  public static DataSubjectRequest run(
      Database db, AuditLog auditLog, DataSubjectRequests dsr, Evidence evidence, Instant diedAt) {
    // readme:begin
    Nominations register = Nominations.open(db, c -> c.audit(auditLog).requests(dsr));
    register.add(
        "acme", "subj_8f3a", "subj_n1", NomineeRelation.SPOUSE, "crm:contact-77", evidence);
    register.recordEvent(
        "acme", "subj_8f3a", NominationEvent.Kind.DEATH, diedAt, "cert-2026-42", "dpo-ravi");
    DataSubjectRequest filed =
        register.fileFor(
            "acme", "subj_8f3a", "subj_n1", RequestType.ERASURE, Regime.DPDP, List.of());
    // readme:end
    return filed;
  }
}
