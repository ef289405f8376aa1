package dev.privacykit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

class AuditReportsTest {

  @DatabaseTest
  void subjectAccess_listsWhoSawWhatForWhat_againstACheckpoint(Database db) throws Exception {
    try (AuditLog log = Logs.open(db)) {
      String subject = "subj_" + UUID.randomUUID();
      log.append(Logs.read(subject)).join();
      log.append(
              AuditEntry.builder("acme", "svc:billing", Action.DISCLOSE)
                  .subject(subject)
                  .purpose("bookkeeping")
                  .categories(List.of("user.identity.name"))
                  .recipient("tax_authority")
                  .build())
          .join();
      log.append(Logs.read("someone_else")).join();
      SubjectAccessReport report = log.reports().subjectAccess("acme", subject);
      assertThat(report.entries()).hasSize(2);
      assertThat(report.purposes()).containsExactlyInAnyOrder("order_fulfilment", "bookkeeping");
      assertThat(report.recipients()).containsExactly("tax_authority");
      assertThat(report.actors()).containsExactlyInAnyOrder("svc:orders", "svc:billing");
      assertThat(report.entries().get(0).entry().body()).isEqualTo("{\"ip\":\"203.0.113.7\"}");
      for (AuditRecord record : report.entries()) {
        assertThat(record.seq()).isLessThan(report.checkpoint().size());
        log.inclusionProof(record.seq(), report.checkpoint().size())
            .verifyOffline(report.checkpoint().note(), log.verifierKey());
      }
    }
  }

  @DatabaseTest
  void processingSummary_countsPurposeCategoryRecipient(Database db) throws Exception {
    try (AuditLog log = Logs.open(db)) {
      Instant from = Instant.now().minus(1, ChronoUnit.MINUTES);
      String tenant = "t_" + UUID.randomUUID().toString().substring(0, 8);
      for (int i = 0; i < 3; i++) {
        log.append(
                AuditEntry.builder(tenant, "svc", Action.READ)
                    .purpose("p1")
                    .categories(List.of("a", "b"))
                    .build())
            .join();
      }
      log.append(
              AuditEntry.builder(tenant, "svc", Action.DISCLOSE)
                  .purpose("p1")
                  .categories(List.of("a"))
                  .recipient("r")
                  .build())
          .join();
      ProcessingSummary summary =
          log.reports().processingSummary(tenant, from, Instant.now().plusSeconds(1));
      assertThat(summary.rows())
          .containsExactly(
              new ProcessingSummary.Row("p1", "a", null, 3),
              new ProcessingSummary.Row("p1", "a", "r", 1),
              new ProcessingSummary.Row("p1", "b", null, 3));
      assertThat(summary.checkpoint().size()).isGreaterThanOrEqualTo(4);
    }
  }

  @DatabaseTest
  void export_csvQuotesAndDefusesFormulas_jsonEscapes(Database db) throws Exception {
    try (AuditLog log = Logs.open(db)) {
      String subject = "subj_" + UUID.randomUUID();
      log.append(
              AuditEntry.builder("acme", "=HYPERLINK(\"x\")", Action.READ)
                  .subject(subject)
                  .requestId("a,b")
                  .body("line1\nline2 \"q\" </script>")
                  .build())
          .join();
      StringWriter csv = new StringWriter();
      log.reports().export(AuditQuery.tenant("acme").subject(subject), ExportFormat.CSV, csv);
      String[] lines = csv.toString().split("\r\n", 2);
      assertThat(lines[0])
          .isEqualTo(
              "seq,recorded_at,tenant,actor,actor_role,subject,action,purpose,legal_basis,categories,recipient,request_id,outcome,submitted_by,body_state,body");
      assertThat(lines[1])
          .contains(",\"'=HYPERLINK(\"\"x\"\")\",")
          .contains(",\"a,b\",")
          .contains("\"line1\nline2 \"\"q\"\" </script>\"");

      StringWriter json = new StringWriter();
      Checkpoint checkpoint =
          log.reports().export(AuditQuery.tenant("acme").subject(subject), ExportFormat.JSON, json);
      assertThat(json.toString())
          .startsWith(
              "{\"checkpoint\":{\"origin\":\"test.privacykit.dev/audit\",\"size\":"
                  + checkpoint.size())
          .contains("\"body\":\"line1\\nline2 \\\"q\\\" \\u003c/script\\u003e\"")
          .endsWith("}]}");
    }
  }
}
