package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.crypto.RootKeys;
import dev.privacykit.policies.NoticeVersion;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.io.StringReader;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Each consent event stores the SHA-256 of the exact notice text shown (DPDP s.5, s.6(3), Rule 3;
 * GDPR Art. 7(1)), on H2 and PostgreSQL: computed from the policy, a sent hash checked against it,
 * a DPDP consent without a language refused, and a refused change stores nothing.
 */
class NoticeHashTest {
  private static final PolicySet DPDP = PolicyPacks.dpdp();
  private static final PolicySet GDPR = PolicyPacks.gdpr();
  private static final NoticeVersion DPDP_V2 =
      DPDP.notice("dpdp-notice").orElseThrow().version(2).orElseThrow();

  private static String tenant() {
    return "t_" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void assertRefused(
      ThrowingCallable call, ConsentException.Kind kind, String field) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ConsentException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(kind);
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.kind().category()).isEqualTo(ConsentException.Category.INVALID);
            });
  }

  @DatabaseTest
  void dpdpConsent_storesTheHashOfTheTextShown_andRefusesNoLanguageOrAWrongHash(Database db) {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(DPDP))) {
      String t = tenant();
      // no language: refused, naming the field, nothing stored
      assertRefused(
          () -> ledger.give(ConsentChange.of(t, "alice", "usage_analytics", 2, null)),
          ConsentException.Kind.LANGUAGE_REQUIRED,
          "language");
      assertRefused(
          () -> ledger.renew(ConsentChange.of(t, "alice", "usage_analytics", 2, null)),
          ConsentException.Kind.LANGUAGE_REQUIRED,
          "language");
      assertThat(ledger.history(t, "alice", "usage_analytics")).isEmpty();

      // a wrong hash, or the hash of the text in another language: refused, nothing stored
      String hindi = DPDP_V2.hash("hi").orElseThrow();
      String english = DPDP_V2.hash("en").orElseThrow();
      ConsentChange shownInHindi = ConsentChange.of(t, "alice", "usage_analytics", 2, "hi");
      assertRefused(
          () ->
              ledger.give(
                  shownInHindi.withProvenance(Provenance.NONE.withNoticeHash("0".repeat(64)))),
          ConsentException.Kind.NOTICE_HASH_MISMATCH,
          "notice_hash");
      assertRefused(
          () -> ledger.give(shownInHindi.withProvenance(Provenance.NONE.withNoticeHash(english))),
          ConsentException.Kind.NOTICE_HASH_MISMATCH,
          "notice_hash");
      assertThatThrownBy(
              () ->
                  ledger.give(shownInHindi.withProvenance(Provenance.NONE.withNoticeHash(english))))
          .hasMessageContaining("policy " + hindi + ", provided " + english);
      // a hash of version 1's Hindi text does not prove version 2 was shown
      String v1Hindi =
          DPDP.notice("dpdp-notice").orElseThrow().version(1).orElseThrow().hash("hi").get();
      assertRefused(
          () -> ledger.give(shownInHindi.withProvenance(Provenance.NONE.withNoticeHash(v1Hindi))),
          ConsentException.Kind.NOTICE_HASH_MISMATCH,
          "notice_hash");
      assertThat(ledger.history(t, "alice", "usage_analytics")).isEmpty();

      // the hash is computed from the policy, stored and read back
      ConsentEvent given = ledger.give(shownInHindi.withIdempotencyKey("k1"));
      assertThat(given.provenance().noticeHash()).isEqualTo(hindi);
      assertThat(ledger.history(t, "alice", "usage_analytics"))
          .singleElement()
          .satisfies(e -> assertThat(e.provenance().noticeHash()).isEqualTo(hindi));
      // a retry, with or without the (right) hash, is the same change
      assertThat(ledger.give(shownInHindi.withIdempotencyKey("k1")).eventId())
          .isEqualTo(given.eventId());
      assertThat(
              ledger
                  .give(
                      shownInHindi
                          .withIdempotencyKey("k1")
                          .withProvenance(Provenance.NONE.withNoticeHash(hindi)))
                  .eventId())
          .isEqualTo(given.eventId());
      // the right hash sent by the caller is stored
      ConsentEvent sent =
          ledger.give(
              ConsentChange.of(t, "bob", "usage_analytics", 2, "en")
                  .withProvenance(Provenance.NONE.withNoticeHash(english)));
      assertThat(sent.provenance().noticeHash()).isEqualTo(english);
      // a withdrawal needs no language and stores no hash
      ConsentEvent withdrawn =
          ledger.withdraw(ConsentChange.of(t, "bob", "usage_analytics", 0, null));
      assertThat(withdrawn.provenance().noticeHash()).isNull();
    }
  }

  @DatabaseTest
  void gdprConsent_withoutLanguage_recordsNoHash_butASentHashMustBeOneOfTheVersionsTexts(
      Database db) {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(GDPR))) {
      String t = tenant();
      NoticeVersion v2 = GDPR.notice("marketing-notice").orElseThrow().version(2).orElseThrow();
      assertThat(
              ledger
                  .give(ConsentChange.of(t, "a", "email_marketing", 2, null))
                  .provenance()
                  .noticeHash())
          .isNull();
      assertThat(
              ledger
                  .give(ConsentChange.of(t, "b", "email_marketing", 2, "de"))
                  .provenance()
                  .noticeHash())
          .isEqualTo(v2.hash("de").orElseThrow());
      String german = v2.hash("de").orElseThrow();
      assertThat(
              ledger
                  .give(
                      ConsentChange.of(t, "c", "email_marketing", 2, null)
                          .withProvenance(Provenance.NONE.withNoticeHash(german)))
                  .provenance()
                  .noticeHash())
          .isEqualTo(german);
      // version 1 has no texts: a hash cannot be checked, so it is refused
      assertRefused(
          () ->
              ledger.give(
                  ConsentChange.of(t, "d", "email_marketing", 1, "en")
                      .withProvenance(Provenance.NONE.withNoticeHash(german))),
          ConsentException.Kind.NOTICE_HASH_MISMATCH,
          "notice_hash");
      assertThat(ledger.history(t, "d", "email_marketing")).isEmpty();
    }
  }

  @DatabaseTest
  void receipts_carryTheNoticeHash(Database db) throws Exception {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(DPDP))) {
      ConsentEvent event =
          ledger.give(ConsentChange.of(tenant(), "alice", "usage_analytics", 2, "hi"));
      ConsentReceipts receipts =
          ConsentReceipts.open(
              db, RootKeys.ephemeral(), "Example Apps", "grievance@app.example", "IN", "https://x");
      String hash = DPDP_V2.hash("hi").orElseThrow();
      assertThat(
              ConsentReceipts.verify(
                  receipts.receipt(event, DPDP, ReceiptFormat.KANTARA_1_1), receipts.publicJwk()))
          .contains("\"noticeHash\":\"" + hash + "\"");
      assertThat(
              ConsentReceipts.verify(
                  receipts.receipt(event, DPDP, ReceiptFormat.ISO_27560), receipts.publicJwk()))
          .contains("\"sha256\":\"" + hash + "\"");
    }
  }

  @DatabaseTest
  void imports_needALanguageUnderDpdp_keepACheckedHash_andComputeNone(Database db)
      throws Exception {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(DPDP))) {
      String t = tenant();
      String at = Instant.now().minus(1, ChronoUnit.DAYS).toString();
      String hindi = DPDP_V2.hash("hi").orElseThrow();
      String line =
          "{\"subject\":\"%s\",\"purpose\":\"usage_analytics\",\"state\":\"GIVEN\","
              + "\"notice_version\":2,%s\"collected_at\":\""
              + at
              + "\",\"idempotency_key\":\"%s\"}\n";
      String ndjson =
          line.formatted("a", "", "i1")
              + line.formatted("b", "\"language\":\"hi\",", "i2")
              + line.formatted("c", "\"language\":\"hi\",\"notice_hash\":\"" + hindi + "\",", "i3")
              + line.formatted("d", "\"language\":\"en\",\"notice_hash\":\"" + hindi + "\",", "i4");
      ConsentLedger.ImportResult result = ledger.importNdjson(t, new StringReader(ndjson));
      assertThat(result.imported()).isEqualTo(2);
      assertThat(result.errors()).hasSize(2);
      assertThat(result.errors().get(0))
          .startsWith("line 1: a DPDP consent names the language its notice was shown in");
      assertThat(result.errors().get(1)).startsWith("line 4: notice_hash is not the SHA-256");
      assertThat(ledger.history(t, "b", "usage_analytics"))
          .singleElement()
          .satisfies(e -> assertThat(e.provenance().noticeHash()).isNull());
      assertThat(ledger.history(t, "c", "usage_analytics"))
          .singleElement()
          .satisfies(e -> assertThat(e.provenance().noticeHash()).isEqualTo(hindi));
      assertThat(ledger.history(t, "d", "usage_analytics")).isEmpty();
      // an export imports back as it is: every line a duplicate
      java.io.StringWriter out = new java.io.StringWriter();
      ledger.exportNdjson(t, out);
      ConsentLedger.ImportResult again = ledger.importNdjson(t, new StringReader(out.toString()));
      assertThat(again.duplicates()).isEqualTo(2);
      assertThat(again.errors()).isEmpty();
    }
  }
}
