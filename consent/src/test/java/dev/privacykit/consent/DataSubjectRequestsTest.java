package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditQuery;
import dev.privacykit.audit.AuditRecord;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.crypto.FieldContext;
import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.policies.Regime;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

class DataSubjectRequestsTest {
  private static final Instant JAN_31 = Instant.parse("2026-01-31T10:00:00Z");

  private static String subject() {
    return "subj_" + UUID.randomUUID();
  }

  @DatabaseTest
  void gdprDueDate_isOneCalendarMonth_evenFrom31January_andExtendsByAtMostTwo(Database db) {
    MutableClock clock = new MutableClock(JAN_31);
    DataSubjectRequests requests = DataSubjectRequests.open(db, c -> c.clock(clock));
    DataSubjectRequest r =
        requests.submit("acme", subject(), RequestType.ACCESS, Regime.GDPR, true);
    assertThat(r.status()).isEqualTo(RequestStatus.OPEN);
    assertThat(r.dueAt()).isEqualTo(Instant.parse("2026-02-28T10:00:00Z"));
    DataSubjectRequest extended = requests.extend(r.id(), 2, "complex request with many systems");
    assertThat(extended.dueAt()).isEqualTo(Instant.parse("2026-04-30T10:00:00Z"));
    assertThatThrownBy(() -> requests.extend(r.id(), 1, "more"))
        .hasMessage("GDPR allows at most two months of extension in all");
    assertThatThrownBy(() -> requests.extend(r.id(), 1, " "))
        .hasMessage("an extension needs a reason of 1 to 1000 characters");
  }

  @DatabaseTest
  void dpdpDueDate_is90Days_andCannotBeExtended(Database db) {
    MutableClock clock = new MutableClock(JAN_31);
    DataSubjectRequests requests = DataSubjectRequests.open(db, c -> c.clock(clock));
    DataSubjectRequest r =
        requests.submit("acme", subject(), RequestType.GRIEVANCE, Regime.DPDP, true);
    assertThat(r.dueAt()).isEqualTo(JAN_31.plus(Duration.ofDays(90)));
    assertThatThrownBy(() -> requests.extend(r.id(), 1, "busy"))
        .isInstanceOf(ConsentException.class)
        .hasMessage("the DPDP deadline cannot be extended");
  }

  @DatabaseTest
  void clock_waitsWhileIdentityIsUnverified(Database db) {
    MutableClock clock = new MutableClock(JAN_31);
    DataSubjectRequests requests = DataSubjectRequests.open(db, c -> c.clock(clock));
    DataSubjectRequest r =
        requests.submit("acme", subject(), RequestType.ACCESS, Regime.GDPR, false);
    assertThat(r.status()).isEqualTo(RequestStatus.VERIFYING);
    clock.advance(Duration.ofDays(10));
    assertThat(requests.get(r.id()).orElseThrow().dueAt())
        .isEqualTo(Instant.parse("2026-03-10T10:00:00Z"));
    DataSubjectRequest verified = requests.verifyIdentity(r.id(), true);
    assertThat(verified.status()).isEqualTo(RequestStatus.OPEN);
    clock.advance(Duration.ofDays(5));
    assertThat(requests.get(r.id()).orElseThrow().dueAt())
        .isEqualTo(Instant.parse("2026-03-10T10:00:00Z"));
    // a second pause adds up
    requests.requestVerification(r.id());
    clock.advance(Duration.ofDays(2));
    assertThat(requests.verifyIdentity(r.id(), true).dueAt())
        .isEqualTo(Instant.parse("2026-03-12T10:00:00Z"));
  }

  @DatabaseTest
  void statuses_followTheirRules_andKeepAHistory(Database db) {
    MutableClock clock = new MutableClock(JAN_31);
    DataSubjectRequests requests = DataSubjectRequests.open(db, c -> c.clock(clock));
    DataSubjectRequest r =
        requests.submit("acme", subject(), RequestType.RECTIFICATION, Regime.GDPR, true);
    requests.start(r.id());
    DataSubjectRequest done = requests.fulfil(r.id(), "address corrected");
    assertThat(done.status()).isEqualTo(RequestStatus.FULFILLED);
    assertThatThrownBy(() -> requests.fulfil(r.id(), "again"))
        .hasMessageStartingWith("request " + r.id() + " is FULFILLED; that step needs it to be");
    assertThat(requests.history(r.id()))
        .extracting(m -> m.get("status"))
        .containsExactly("OPEN", "IN_PROGRESS", "FULFILLED");

    DataSubjectRequest unverified =
        requests.submit("acme", subject(), RequestType.ACCESS, Regime.GDPR, false);
    DataSubjectRequest denied = requests.verifyIdentity(unverified.id(), false);
    assertThat(denied.status()).isEqualTo(RequestStatus.DENIED);
    assertThat(denied.denialReason()).isEqualTo(DenialReason.IDENTITY_NOT_VERIFIED);

    DataSubjectRequest objection =
        requests.submit("acme", subject(), RequestType.OBJECTION, Regime.GDPR, true);
    assertThat(
            requests
                .deny(objection.id(), DenialReason.LEGAL_CLAIMS, "pending litigation")
                .denialReason())
        .isEqualTo(DenialReason.LEGAL_CLAIMS);
    assertThatThrownBy(
            () ->
                requests
                    .get("nope")
                    .orElseThrow(() -> new ConsentException(ConsentException.Kind.NOT_FOUND, "x")))
        .isInstanceOf(ConsentException.class);
    assertThatThrownBy(() -> requests.start("no-such-id"))
        .hasMessage("no data-subject request no-such-id");
  }

  @DatabaseTest
  void dueWithin_listsOverdueAndSoon_soonestFirst_andStaleVerificationsExpire(Database db) {
    MutableClock clock = new MutableClock(JAN_31);
    String tenant = "t_" + UUID.randomUUID().toString().substring(0, 8);
    DataSubjectRequests requests = DataSubjectRequests.open(db, c -> c.clock(clock));
    DataSubjectRequest early =
        requests.submit(tenant, subject(), RequestType.ACCESS, Regime.GDPR, true);
    clock.advance(Duration.ofDays(20));
    DataSubjectRequest later =
        requests.submit(tenant, subject(), RequestType.PORTABILITY, Regime.GDPR, true);
    DataSubjectRequest waiting =
        requests.submit(tenant, subject(), RequestType.ACCESS, Regime.GDPR, false);
    clock.advance(Duration.ofDays(15)); // 7 March: early (28 Feb) is overdue, later is due 20 March
    List<DataSubjectRequest> due = requests.dueWithin(tenant, Duration.ofDays(7));
    assertThat(due).extracting(DataSubjectRequest::id).containsExactly(early.id());
    assertThat(due.get(0).isOverdue(clock.instant())).isTrue();
    assertThat(requests.dueWithin(tenant, Duration.ofDays(20)))
        .extracting(DataSubjectRequest::id)
        .containsExactly(early.id(), later.id());
    assertThat(requests.expireUnverified(Duration.ofDays(14))).isEqualTo(1);
    assertThat(requests.get(waiting.id()).orElseThrow().status()).isEqualTo(RequestStatus.EXPIRED);
  }

  @DatabaseTest
  void erasure_shredsTheSubjectKey_leavesTheAuditLogValid_andIsAudited(Database db)
      throws Exception {
    RootKey root = RootKeys.ephemeral();
    SubjectKeys keys = SubjectKeys.open(db, root);
    try (AuditLog audit =
        AuditLog.open(
            db,
            c ->
                c.origin("t/audit")
                    .signer(CheckpointSigner.generate("t/audit"))
                    .subjectKeys(keys))) {
      DataSubjectRequests requests =
          DataSubjectRequests.open(db, c -> c.audit(audit).subjectKeys(keys));
      String subject = subject();
      FieldContext context = FieldContext.of("acme", "profiles", "phone", subject);
      byte[] stored =
          keys.cipher("acme", subject)
              .encrypt("+44 20 7946 0000".getBytes(StandardCharsets.UTF_8), context);
      DataSubjectRequest r =
          requests.submit("acme", subject, RequestType.ERASURE, Regime.GDPR, true);
      DataSubjectRequest done = requests.erase(r.id());
      assertThat(done.status()).isEqualTo(RequestStatus.FULFILLED);
      assertThat(done.outcomeNote()).startsWith("subject key shredded;");
      assertThatThrownBy(() -> keys.cipher("acme", subject).decrypt(stored, context))
          .hasMessage("decryption failed");
      List<AuditRecord> entries = audit.query(AuditQuery.tenant("acme").subject(subject));
      assertThat(entries)
          .extracting(e -> e.entry().action())
          .containsExactly(Action.DSR_RECEIVED, Action.DSR_FULFILLED, Action.ERASE);
      assertThat(entries.get(0).body()).isEqualTo(AuditRecord.BodyState.SHREDDED);
      assertThat(audit.verify().failure()).isEmpty();
      var checkpoint = audit.checkpoint();
      audit
          .inclusionProof(entries.get(0).seq(), checkpoint.size())
          .verifyOffline(checkpoint.note(), audit.verifierKey());
      DataSubjectRequest access =
          requests.submit("acme", subject, RequestType.ACCESS, Regime.GDPR, true);
      assertThatThrownBy(() -> requests.erase(access.id()))
          .hasMessage("request " + access.id() + " is not an erasure request");
    }
  }
}
