package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.Checkpoint;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.audit.ProcessingSummary;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The record of processing activities, from the shipped packs and a real audit log. */
class RecordsOfProcessingTest {
  private static AuditLog open(Database db) {
    SubjectKeys keys = SubjectKeys.open(db, RootKeys.ephemeral());
    return AuditLog.open(
        db,
        c -> c.origin("t/audit").signer(CheckpointSigner.generate("t/audit")).subjectKeys(keys));
  }

  private static AuditEntry entry(
      String tenant, String purpose, List<String> categories, String recipient) {
    return AuditEntry.builder(tenant, "agent-1", Action.READ)
        .subject("subj_1")
        .purpose(purpose)
        .categories(categories)
        .recipient(recipient)
        .build();
  }

  @DatabaseTest
  void gdprRecord_holdsEveryArticle30Item_andTheProcessingSeenAgainstACheckpoint(Database db)
      throws Exception {
    String tenant = "t_" + System.nanoTime();
    try (AuditLog audit = open(db)) {
      audit
          .append(entry(tenant, "order_fulfilment", List.of("user.contact.email"), "carrier"))
          .join();
      audit
          .append(entry(tenant, "order_fulfilment", List.of("user.contact.email"), "carrier"))
          .join();
      audit
          .append(entry(tenant, "email_marketing", List.of("user.contact.email"), "email_service"))
          .join();
      audit
          .append(
              entry(
                  tenant + "-other", "bookkeeping", List.of("user.identity.name"), "tax_authority"))
          .join();
      RecordsOfProcessing records = RecordsOfProcessing.of(PolicyPacks.gdpr(), audit);
      Instant now = Instant.now();
      ProcessingRecord record =
          records.compute(tenant, now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)));

      assertThat(record.controller().name()).isEqualTo("Example Shop GmbH");
      assertThat(record.controller().dpo()).isEqualTo("Data Protection Officer, dpo@shop.example");
      assertThat(record.activities())
          .extracting(ProcessingRecord.Activity::purpose)
          .containsExactly(
              "order_fulfilment",
              "bookkeeping",
              "fraud_prevention",
              "email_marketing",
              "targeted_advertising",
              "postal_offers",
              "pay_later_eligibility",
              "allergy_safety");
      ProcessingRecord.Activity fraud = activity(record, "fraud_prevention");
      assertThat(fraud.lawfulBasis()).isEqualTo("gdpr:legitimate_interests");
      assertThat(fraud.dataSubjects()).containsExactly("customers", "visitors");
      assertThat(fraud.retention())
          .containsExactly(
              new ProcessingRecord.Retention(
                  "user.behaviour.purchases", "P3Y", "delete", "category:user"),
              new ProcessingRecord.Retention(
                  "user.device.ip_address", "P30D", "anonymise", "category:user.device.ip_address"),
              new ProcessingRecord.Retention(
                  "user.identity.account_id", "P3Y", "delete", "category:user"));
      assertThat(activity(record, "bookkeeping").retention())
          .allSatisfy(r -> assertThat(r.period() + " " + r.rule()).isEqualTo("P10Y purpose"));
      ProcessingRecord.Activity allergy = activity(record, "allergy_safety");
      assertThat(allergy.art9Condition()).isEqualTo("explicit_consent");
      assertThat(allergy.categories())
          .extracting(ProcessingRecord.Category::special)
          .containsExactly("health");

      assertThat(record.recipients())
          .extracting(
              d -> d.id() + "|" + d.country() + "|" + d.thirdCountry() + "|" + d.safeguard())
          .containsExactly(
              "payment_processor|NL|false|null",
              "carrier|DE|false|null",
              "ad_network|IE|false|null",
              "tax_authority|null|false|null",
              "email_service|US|true|sccs");
      assertThat(record.transfers()).hasSize(1);
      assertThat(record.transfers().get(0).safeguardCitation())
          .isEqualTo("GDPR Art. 46(2)(c) standard data protection clauses");
      assertThat(record.transfers().get(0).purposes()).containsExactly("email_marketing");
      assertThat(record.measures()).hasSize(RecordsOfProcessing.BUILT_IN_MEASURES.size() + 2);
      assertThat(record.measures().get(0).measure()).contains("AES-256-GCM");
      assertThat(record.measures().get(RecordsOfProcessing.BUILT_IN_MEASURES.size()))
          .isEqualTo(
              new ProcessingRecord.Measure(
                  "Staff access to customer data only through single sign-on with hardware keys",
                  "policy"));

      ProcessingSummary seen = record.processing();
      assertThat(seen.rows())
          .containsExactly(
              new ProcessingSummary.Row(
                  "email_marketing", "user.contact.email", "email_service", 1),
              new ProcessingSummary.Row("order_fulfilment", "user.contact.email", "carrier", 2));
      Checkpoint checkpoint = seen.checkpoint();
      assertThat(checkpoint.size()).isEqualTo(audit.size()).isGreaterThanOrEqualTo(4);
      assertThat(Checkpoint.verify(checkpoint.note(), audit.verifierKey()).size())
          .isEqualTo(checkpoint.size());

      StringWriter out = new StringWriter();
      records.writeJson(record, out);
      JsonNode json = new ObjectMapper().readTree(out.toString());
      assertThat(json.at("/controller/contact").asText()).contains("privacy@shop.example");
      assertThat(json.at("/activities/0/data_subjects/0").asText()).isEqualTo("customers");
      assertThat(json.at("/transfers/0/recipient").asText()).isEqualTo("email_service");
      assertThat(json.at("/transfers/0/country").asText()).isEqualTo("US");
      assertThat(json.at("/transfers/0/safeguard").asText()).isEqualTo("sccs");
      assertThat(json.at("/processing/checkpoint/size").asLong()).isEqualTo(checkpoint.size());
      assertThat(json.at("/processing/checkpoint/verifier_key").asText())
          .isEqualTo(audit.verifierKey());
      assertThat(json.at("/processing/rows").size()).isEqualTo(2);
      assertThat(json.at("/processing/rows").findValuesAsText("purpose"))
          .containsExactly("email_marketing", "order_fulfilment");
    }
  }

  @DatabaseTest
  void window_countsOnlyItsEntries_andAnotherTenantSeesNone(Database db) {
    String acme = "acme_" + System.nanoTime();
    try (AuditLog audit = open(db)) {
      audit.append(entry(acme, "order_fulfilment", List.of("user.contact"), null)).join();
      RecordsOfProcessing records = RecordsOfProcessing.of(PolicyPacks.gdpr(), audit);
      Instant now = Instant.now();
      assertThat(
              records.compute(acme, now.plusSeconds(60), now.plusSeconds(120)).processing().rows())
          .isEmpty();
      assertThat(
              records
                  .compute(acme + "-other", Instant.EPOCH, now.plusSeconds(60))
                  .processing()
                  .rows())
          .isEmpty();
      assertThat(records.compute(acme, Instant.EPOCH, now.plusSeconds(60)).processing().rows())
          .containsExactly(new ProcessingSummary.Row("order_fulfilment", "user.contact", null, 1));
      assertThatThrownBy(() -> records.compute(acme, now, now.minusSeconds(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("from must not be after to");
    }
  }

  @DatabaseTest
  void dpdpRecord_listsATransferOutsideIndiaWithoutSafeguard(Database db) {
    try (AuditLog audit = open(db)) {
      ProcessingRecord record =
          RecordsOfProcessing.of(PolicyPacks.dpdp(), audit)
              .compute("acme", Instant.EPOCH, Instant.now());
      assertThat(record.regime().name()).isEqualTo("DPDP");
      assertThat(record.transfers())
          .extracting(d -> d.id() + "|" + d.country() + "|" + d.safeguard())
          .containsExactly("crash_reports|SG|null");
      assertThat(activity(record, "kyc_records").retention())
          .allSatisfy(r -> assertThat(r.period()).isEqualTo("P5Y"));
    }
  }

  private static ProcessingRecord.Activity activity(ProcessingRecord record, String purpose) {
    return record.activities().stream()
        .filter(a -> a.purpose().equals(purpose))
        .findFirst()
        .orElseThrow();
  }
}
