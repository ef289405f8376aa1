package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.audit.ExportFormat;
import dev.privacykit.crypto.Keyring;
import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.policies.ConsentState;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.policies.Regime;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.UUID;

/** Receipts, import and export, identifiers, access packages. */
class ConsentRecordsTest {
  private static final PolicySet GDPR = PolicyPacks.gdpr();
  private static final RootKey ROOT = RootKeys.ephemeral();

  private static String subject() {
    return "subj_" + UUID.randomUUID();
  }

  @DatabaseTest
  void receipts_inBothShapes_verifyWithThePublicKey_andNotWhenAltered(Database db)
      throws Exception {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(GDPR))) {
      ConsentEvent event =
          ledger.give(ConsentChange.of("acme", subject(), "email_marketing", 2, "de"));
      ConsentReceipts receipts =
          ConsentReceipts.open(
              db,
              ROOT,
              "Example Shop GmbH",
              "privacy@shop.example",
              "DE",
              "https://shop.example/privacy");
      String kantara = receipts.receipt(event, GDPR, ReceiptFormat.KANTARA_1_1);
      String json = ConsentReceipts.verify(kantara, receipts.publicJwk());
      assertThat(json)
          .contains("\"version\":\"KI-CR-v1.1.0\"")
          .contains("\"consentReceiptID\":\"" + event.eventId() + "\"")
          .contains("\"piiController\":\"Example Shop GmbH\"")
          .contains("\"language\":\"de\"");
      String iso =
          ConsentReceipts.verify(
              receipts.receipt(event, GDPR, ReceiptFormat.ISO_27560), receipts.publicJwk());
      assertThat(iso)
          .contains("\"schema_version\":\"ISO/IEC TS 27560:2023\"")
          .contains("\"lawful_basis\":\"gdpr:consent\"");
      // the same key after a restart
      assertThat(ConsentReceipts.open(db, ROOT, "x", "y", "DE", "z").publicJwk())
          .isEqualTo(receipts.publicJwk());
      String[] parts = kantara.split("\\.");
      String forged =
          parts[0]
              + "."
              + java.util.Base64.getUrlEncoder()
                  .withoutPadding()
                  .encodeToString(
                      json.replace("Example Shop GmbH", "Someone Else")
                          .getBytes(java.nio.charset.StandardCharsets.UTF_8))
              + "."
              + parts[2];
      assertThatThrownBy(() -> ConsentReceipts.verify(forged, receipts.publicJwk()))
          .hasMessage("receipt signature does not verify");
      assertThatThrownBy(() -> ConsentReceipts.verify("not.a.jws", receipts.publicJwk()))
          .hasMessage("receipt or key is malformed");
    }
  }

  @DatabaseTest
  void import_isIdempotent_keepsOriginalTimes_reportsBadLines_andExportStreamsItBack(Database db)
      throws Exception {
    String tenant = "t_" + UUID.randomUUID().toString().substring(0, 8);
    String ndjson =
        "{\"tenant\":\""
            + tenant
            + "\",\"subject\":\"s1\",\"purpose\":\"email_marketing\",\"state\":\"GIVEN\",\"notice_version\":2,"
            + "\"language\":\"en\",\"collected_at\":\"2026-03-01T08:00:00Z\",\"idempotency_key\":\"k1\"}\n"
            + "{\"tenant\":\""
            + tenant
            + "\",\"subject\":\"s1\",\"purpose\":\"email_marketing\",\"state\":\"WITHDRAWN\","
            + "\"collected_at\":\"2026-04-01T08:00:00Z\",\"idempotency_key\":\"k2\"}\n"
            + "{\"tenant\":\""
            + tenant
            + "\",\"subject\":\"s2\",\"purpose\":\"email_marketing\",\"state\":\"GIVEN\",\"notice_version\":2,"
            + "\"collected_at\":\"2026-03-01T08:00:00Z\"}\n"
            + "not json\n"
            + "{\"tenant\":\""
            + tenant
            + "\",\"subject\":\"s3\",\"purpose\":\"order_fulfilment\",\"state\":\"GIVEN\",\"notice_version\":1,"
            + "\"collected_at\":\"2026-03-01T08:00:00Z\",\"idempotency_key\":\"k3\"}\n";
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(GDPR))) {
      ConsentLedger.ImportResult first = ledger.importNdjson(new StringReader(ndjson));
      assertThat(first.imported()).isEqualTo(2);
      assertThat(first.errors())
          .containsExactly(
              "line 3: missing 'idempotency_key'",
              "line 4: not valid JSON",
              "line 5: purpose 'order_fulfilment' relies on gdpr:contract, not on consent");
      ConsentLedger.ImportResult again = ledger.importNdjson(new StringReader(ndjson));
      assertThat(again.imported()).isZero();
      assertThat(again.duplicates()).isEqualTo(2);
      var history = ledger.history(tenant, "s1", "email_marketing");
      assertThat(history)
          .extracting(e -> e.evidence().collectedAt())
          .containsExactly(
              Instant.parse("2026-03-01T08:00:00Z"), Instant.parse("2026-04-01T08:00:00Z"));
      assertThat(history).allSatisfy(e -> assertThat(e.method()).isEqualTo(ConsentMethod.IMPORT));
      assertThat(ledger.current(tenant, "s1", "email_marketing").state())
          .isEqualTo(ConsentState.WITHDRAWN);

      StringWriter out = new StringWriter();
      ledger.exportNdjson(tenant, out);
      String[] lines = out.toString().split("\n");
      assertThat(lines).hasSize(2);
      assertThat(lines[0])
          .contains("\"idempotency_key\":\"k1\"")
          .contains("\"collected_at\":\"2026-03-01T08:00:00Z\"");
    }
  }

  @DatabaseTest
  void importLines_areReadStrictly_eachRefusalNamedByLine_andAnExportImportsBack(Database db)
      throws Exception {
    String tenant = "t_" + UUID.randomUUID().toString().substring(0, 8);
    String head = "{\"tenant\":\"" + tenant + "\",\"purpose\":\"email_marketing\",";
    String at = "\"collected_at\":\"2026-03-01T08:00:00Z\"";
    String ndjson =
        head
            + "\"subject\":\"a\",\"subject\":\"b\",\"state\":\"REFUSED\","
            + at
            + ",\"idempotency_key\":\"k1\"}\n"
            + head
            + "\"subject\":\"a\",\"state\":\"REFUSED\","
            + at
            + ",\"idempotency_key\":\"k2\"} {}\n"
            + head
            + "\"subject\":\"a\",\"state\":\"GIVEN\",\"notice_version\":\"2\","
            + at
            + ",\"idempotency_key\":\"k3\"}\n"
            + head
            + "\"subject\":\"a\",\"state\":\"GIVEN\",\"notice_version\":-2,"
            + at
            + ",\"idempotency_key\":\"k4\"}\n"
            + head
            + "\"subject\":7,\"state\":\"REFUSED\","
            + at
            + ",\"idempotency_key\":\"k5\"}\n"
            + head
            + "\"subject\":\"a\",\"state\":\"REFUSED\",\"language\":null,"
            + at
            + ",\"idempotency_key\":\"k6\"}\n"
            + head
            + "\"subject\":\"a\",\"state\":\"GIVEN\",\"notice_version\":2,"
            + at
            + ",\"idempotency_key\":\"k7\"}\n";
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(GDPR))) {
      ConsentLedger.ImportResult result = ledger.importNdjson(new StringReader(ndjson));
      assertThat(result.errors())
          .containsExactly(
              "line 1: not valid JSON (a field appears twice)",
              "line 2: not valid JSON",
              "line 3: 'notice_version' must be an integer from 0",
              "line 4: 'notice_version' must be an integer from 0",
              "line 5: 'subject' must be a non-empty string",
              "line 6: 'language' must be a non-empty string");
      assertThat(result.imported()).isEqualTo(1);
      assertThat(ledger.history(tenant, "a", "email_marketing")).hasSize(1);

      // the export leaves absent values out, so it imports back (as replays) line for line
      StringWriter out = new StringWriter();
      ledger.exportNdjson(tenant, out);
      assertThat(out.toString()).doesNotContain(":null");
      ConsentLedger.ImportResult back = ledger.importNdjson(new StringReader(out.toString()));
      assertThat(back.errors()).isEmpty();
      assertThat(back.duplicates()).isEqualTo(1);
    }
  }

  @DatabaseTest
  void identifiers_areFoundByValue_storedEncrypted_andGoneAfterErasure(Database db)
      throws Exception {
    SubjectKeys keys = SubjectKeys.open(db, ROOT);
    SubjectIdentifiers identifiers =
        SubjectIdentifiers.open(db, Keyring.inMemory(), keys, 1_000_000);
    String tenant = "t_" + UUID.randomUUID().toString().substring(0, 8);
    String alice = subject();
    identifiers.link(tenant, alice, SubjectIdentifiers.Kind.EMAIL, "Alice@Example.com");
    identifiers.link(tenant, subject(), SubjectIdentifiers.Kind.EMAIL, "bob@example.com");
    assertThat(identifiers.find(tenant, SubjectIdentifiers.Kind.EMAIL, " alice@example.COM"))
        .contains(alice);
    assertThat(identifiers.find(tenant, SubjectIdentifiers.Kind.EMAIL, "carol@example.com"))
        .isEmpty();
    String stored =
        dev.privacykit.storage.spi.Jdbis.of(db)
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT ciphertext || term FROM consent_identifiers WHERE subject = :s")
                        .bind("s", alice)
                        .mapTo(String.class)
                        .one());
    assertThat(stored).doesNotContainIgnoringCase("alice");

    DataSubjectRequests requests = DataSubjectRequests.open(db, c -> c.subjectKeys(keys));
    DataSubjectRequest erasure =
        requests.submit(tenant, alice, RequestType.ERASURE, Regime.GDPR, true);
    assertThat(requests.erase(erasure.id()).outcomeNote()).contains("1 identifier(s) removed");
    assertThat(identifiers.find(tenant, SubjectIdentifiers.Kind.EMAIL, "alice@example.com"))
        .isEmpty();
  }

  @DatabaseTest
  void accessPackage_holdsConsentsHistoryAndTheAccessLog(Database db) throws Exception {
    SubjectKeys keys = SubjectKeys.open(db, ROOT);
    try (AuditLog audit =
            AuditLog.open(
                db,
                c ->
                    c.origin("t/audit")
                        .signer(CheckpointSigner.generate("t/audit"))
                        .subjectKeys(keys));
        ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(GDPR).audit(audit))) {
      String s = subject();
      ledger.give(ConsentChange.of("acme", s, "email_marketing", 2, "en"));
      DataSubjectRequests requests =
          DataSubjectRequests.open(db, c -> c.audit(audit).ledger(ledger).subjectKeys(keys));
      DataSubjectRequest access = requests.submit("acme", s, RequestType.ACCESS, Regime.GDPR, true);
      StringWriter json = new StringWriter();
      requests.writeAccessPackage(access.id(), ExportFormat.JSON, json);
      assertThat(json.toString())
          .contains("\"purpose\" : \"email_marketing\"")
          .contains("\"state\" : \"GIVEN\"")
          .contains("\"action\" : \"CONSENT_GIVEN\"")
          .contains("\"action\" : \"DSR_RECEIVED\"")
          .contains("\"checkpoint\"");
      StringWriter csv = new StringWriter();
      requests.writeAccessPackage(access.id(), ExportFormat.CSV, csv);
      assertThat(csv.toString())
          .startsWith(
              "section,at,purpose,state_or_action,actor,recipient,legal_basis,details\r\nconsent,")
          .contains("\r\nconsent_history,")
          .contains("\r\naccess_log,");
      DataSubjectRequest erasure =
          requests.submit("acme", s, RequestType.ERASURE, Regime.GDPR, true);
      assertThatThrownBy(
              () ->
                  requests.writeAccessPackage(erasure.id(), ExportFormat.JSON, new StringWriter()))
          .hasMessage("request " + erasure.id() + " is not an access or portability request");
    }
  }
}
