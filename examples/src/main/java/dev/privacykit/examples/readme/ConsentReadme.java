package dev.privacykit.examples.readme;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.consent.ConsentChange;
import dev.privacykit.consent.ConsentLedger;
import dev.privacykit.consent.ConsentMethod;
import dev.privacykit.consent.DataSubjectRequest;
import dev.privacykit.consent.DataSubjectRequests;
import dev.privacykit.consent.Evidence;
import dev.privacykit.consent.RequestType;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.policies.Decision;
import dev.privacykit.policies.DecisionEngine;
import dev.privacykit.policies.DecisionRequest;
import dev.privacykit.policies.LivePolicy;
import dev.privacykit.policies.Regime;
import dev.privacykit.storage.Database;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** consent/README.md's snippet, compiled and run by ReadmeSnippetsTest. */
public final class ConsentReadme {
  private ConsentReadme() {}

  /** Runs the snippet; returns the decisions it asks for. */
  public static Map<String, Decision> run(
      Database db, LivePolicy livePolicy, AuditLog auditLog, SubjectKeys keys) {
    Instant now = Instant.now();
    String ip = "203.0.113.7";
    String userAgent = "Mozilla/5.0";
    Set<String> roles = Set.of("marketing");
    // readme:begin
    ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(livePolicy).audit(auditLog));
    ledger.give(
        ConsentChange.of("acme", "subj_8f3a", "email_marketing", 2, "en")
            .withEvidence(
                ConsentMethod.FORM,
                Evidence.of(now, "web", ip, userAgent, "form-7"))); // IP truncated, UA hashed
    ledger.withdraw(ConsentChange.of("acme", "subj_8f3a", "email_marketing", 2, "en")); // one call
    DecisionEngine engine =
        new DecisionEngine(livePolicy, ledger.lookup()); // the ledger records; the engine decides
    var decisions =
        engine.decideEach(
            DecisionRequest.of("acme", "subj_8f3a", "-", roles), List.of("email_marketing"));
    DataSubjectRequests dsr =
        DataSubjectRequests.open(db, c -> c.audit(auditLog).subjectKeys(keys).ledger(ledger));
    DataSubjectRequest r = dsr.submit("acme", "subj_8f3a", RequestType.ERASURE, Regime.GDPR, true);
    dsr.erase(r.id()); // shreds the subject key, tells host backends
    // readme:end
    ledger.close();
    return decisions;
  }
}
