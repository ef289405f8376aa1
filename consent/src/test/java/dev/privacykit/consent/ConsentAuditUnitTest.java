package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditQuery;
import dev.privacykit.audit.AuditRecord;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.policies.Regime;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.util.List;
import java.util.UUID;

/**
 * A consent change and its audit entry are one unit: when the entry cannot be written after the
 * change commits, the change still stands and its entry is delivered later, exactly once.
 */
class ConsentAuditUnitTest {
  private static final RootKey ROOT = RootKeys.ephemeral();
  private static final CheckpointSigner SIGNER = CheckpointSigner.generate("t/audit");

  private static AuditLog audit(Database db) {
    return AuditLog.open(
        db, c -> c.origin("t/audit").signer(SIGNER).subjectKeys(SubjectKeys.open(db, ROOT)));
  }

  private static ConsentLedger ledger(Database db, AuditLog audit) {
    return ConsentLedger.open(db, c -> c.policy(PolicyPacks.gdpr()).audit(audit));
  }

  private static List<AuditRecord> entriesOf(AuditLog audit, String tenant, String eventId) {
    return audit.query(AuditQuery.tenant(tenant).action(Action.CONSENT_GIVEN)).stream()
        .filter(r -> eventId.equals(r.entry().requestId()))
        .toList();
  }

  @DatabaseTest
  void aChangeWhoseEntryCouldNotBeWritten_getsItLater_exactlyOnce(Database db) {
    String tenant = "t_" + UUID.randomUUID().toString().substring(0, 8);
    ConsentChange change =
        ConsentChange.of(tenant, "subj_1", "email_marketing", 2, "en").withIdempotencyKey("k-1");
    AuditLog down = audit(db);
    down.close(); // the audit trail cannot take the entry after the change commits
    ConsentEvent given;
    try (ConsentLedger ledger = ledger(db, down)) {
      given = ledger.give(change);
      assertThat(ledger.current(tenant, "subj_1", "email_marketing").state().name())
          .as("the change stands")
          .isEqualTo("GIVEN");
    }
    try (AuditLog audit = audit(db)) {
      assertThat(entriesOf(audit, tenant, given.eventId())).isEmpty();
      // a retry of the same change repairs it
      try (ConsentLedger ledger = ledger(db, audit)) {
        assertThat(ledger.give(change).eventId()).isEqualTo(given.eventId());
      }
      assertThat(entriesOf(audit, tenant, given.eventId())).hasSize(1);
      // and nothing delivers it twice: not a second retry, not a restart's sweep
      try (ConsentLedger ledger = ledger(db, audit)) {
        ledger.give(change);
        assertThat(ledger.deliverPendingAudit()).isZero();
      }
      assertThat(entriesOf(audit, tenant, given.eventId())).hasSize(1);
    }
  }

  @DatabaseTest
  void pendingEntries_areDeliveredWhenTheLedgerOpens(Database db) {
    String tenant = "t_" + UUID.randomUUID().toString().substring(0, 8);
    AuditLog down = audit(db);
    down.close();
    ConsentEvent given;
    try (ConsentLedger ledger = ledger(db, down)) {
      given = ledger.give(ConsentChange.of(tenant, "subj_2", "email_marketing", 2, "en"));
    }
    try (AuditLog audit = audit(db);
        ConsentLedger restarted = ledger(db, audit)) {
      List<AuditRecord> entries = entriesOf(audit, tenant, given.eventId());
      assertThat(entries).hasSize(1);
      assertThat(entries.get(0).entry().subject()).isEqualTo("subj_2");
      assertThat(entries.get(0).entry().actor()).isEqualTo("svc:consent-ledger");
      assertThat(restarted.deliverPendingAudit()).isZero();
    }
  }

  @DatabaseTest
  void requestSteps_andTheirEntries_areOneUnitToo(Database db) {
    String tenant = "t_" + UUID.randomUUID().toString().substring(0, 8);
    SubjectKeys keys = SubjectKeys.open(db, ROOT);
    AuditLog down = audit(db);
    down.close(); // every entry below is owed when its step commits
    DataSubjectRequests requests =
        DataSubjectRequests.open(db, c -> c.audit(down).subjectKeys(keys));
    DataSubjectRequest erasure =
        requests.submit(tenant, "subj_3", RequestType.ERASURE, Regime.GDPR, true);
    assertThat(requests.erase(erasure.id()).status()).isEqualTo(RequestStatus.FULFILLED);
    try (AuditLog audit = audit(db)) {
      assertThat(audit.query(AuditQuery.tenant(tenant).subject("subj_3"))).isEmpty();
      DataSubjectRequests restarted =
          DataSubjectRequests.open(db, c -> c.audit(audit).subjectKeys(keys));
      List<AuditRecord> entries = audit.query(AuditQuery.tenant(tenant).subject("subj_3"));
      assertThat(entries)
          .extracting(r -> r.entry().action())
          .containsExactlyInAnyOrder(Action.DSR_RECEIVED, Action.DSR_FULFILLED, Action.ERASE);
      assertThat(restarted.deliverPendingAudit()).isZero();
      assertThat(audit.query(AuditQuery.tenant(tenant).subject("subj_3"))).hasSize(3);
    }
  }
}
