package dev.privacykit.audit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the ingest refuses, and the record format; no database. */
class KafkaAuditIngestTest {

  @Test
  void anEntryWithABody_isRefused_soKafkaNeverHoldsPersonalDetailsInClear() {
    String topic = Broker.topic(1);
    try (KafkaAuditIngest ingest =
        KafkaAuditIngest.open(c -> c.bootstrapServers(Broker.bootstrapServers()).topic(topic))) {
      AuditEntry withBody =
          AuditEntry.builder("acme", "svc:orders", Action.READ)
              .subject("subj_1")
              .body("{\"ip\":\"203.0.113.7\"}")
              .build();
      assertThatThrownBy(() -> ingest.append(withBody))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "entries sent through Kafka cannot carry a body: Kafka would keep it unencrypted");
    }
  }

  @Test
  void aShardMappingOutsideTheTopic_isRefused() {
    String topic = Broker.topic(2);
    try (KafkaAuditIngest ingest =
        KafkaAuditIngest.open(
            c -> c.bootstrapServers(Broker.bootstrapServers()).topic(topic).shardOf(t -> 2))) {
      assertThatThrownBy(() -> ingest.append(Shards.entry("acme", 1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the shard mapping gave partition 2, but the topic has partitions 0 to 1");
    }
    try (KafkaAuditIngest ingest =
        KafkaAuditIngest.open(c -> c.bootstrapServers(Broker.bootstrapServers()).topic(topic))) {
      assertThat(ingest.shardOf("acme")).isEqualTo(KafkaAuditIngest.defaultShard("acme", 2));
    }
  }

  @Test
  void settingsTheGuaranteesRestOn_cannotBeOverridden() {
    for (String fixed : List.of("acks", "enable.idempotence", "enable.auto.commit", "group.id")) {
      assertThatThrownBy(() -> new KafkaAuditConfig().property(fixed, "x"))
          .hasMessage(fixed + " is fixed by PrivacyKit and cannot be set");
    }
    assertThatThrownBy(() -> KafkaAuditIngest.open(c -> c.topic("audit")))
        .hasMessage("Kafka audit ingestion needs bootstrap servers and a topic");
  }

  @Test
  void entries_roundTripThroughTheRecordFormat_andForeignRecordsAreNotEntries() {
    AuditEntry entry =
        new AuditEntry(
            "acme",
            "svc:orders",
            "service",
            "subj_1",
            Action.DISCLOSE,
            "order_fulfilment",
            "gdpr:contract",
            List.of("user.contact.email"),
            "carrier",
            "req-1",
            Outcome.DENIED,
            "https://id.example.com|svc",
            null);
    assertThat(EntryJson.decode(EntryJson.encode(entry))).isEqualTo(entry);
    for (String foreign :
        List.of(
            "not json",
            "[1]",
            "{\"v\":2,\"tenant\":\"acme\"}",
            "{\"v\":1,\"tenant\":\"acme\",\"actor\":\"a\",\"action\":\"READ\",\"outcome\":\"SUCCESS\","
                + "\"subject\":\"s\",\"body\":\"secret\"}",
            "{\"v\":1,\"actor\":\"a\",\"action\":\"READ\",\"outcome\":\"SUCCESS\"}")) {
      assertThatThrownBy(() -> EntryJson.decode(foreign.getBytes(StandardCharsets.UTF_8)))
          .as(foreign)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
