package dev.privacykit.audit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.SequencedAppends;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.spi.Jdbis;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Jdbi;

/**
 * A sequencer whose transaction dies in the middle of a batch, and which is then killed, leaves the
 * shard at its last committed batch; the one started after it integrates every later record once.
 */
class SequencerRestartTest {

  private static void armCrash(TestDatabase test) {
    Jdbi jdbi = Jdbis.of(test.database());
    if (test.dialect() == Dialect.H2) {
      FailOnceTrigger.ARMED.set(true);
      jdbi.useHandle(
          h ->
              h.execute(
                  "CREATE TRIGGER fail_once BEFORE INSERT ON audit_entries FOR EACH ROW CALL '"
                      + FailOnceTrigger.class.getName()
                      + "'"));
      return;
    }
    jdbi.useHandle(
        h -> {
          h.execute("CREATE SEQUENCE fail_once_seq");
          h.execute(
              "CREATE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                  + " IF NEW.actor = '"
                  + FailOnceTrigger.ACTOR
                  + "' AND nextval('fail_once_seq') = 1 THEN"
                  + " RAISE EXCEPTION 'simulated crash in the middle of a batch'; END IF;"
                  + " RETURN NEW; END $$");
          h.execute(
              "CREATE TRIGGER fail_once BEFORE INSERT ON audit_entries"
                  + " FOR EACH ROW EXECUTE FUNCTION fail_once()");
        });
  }

  @DatabaseTest
  void aSequencerKilledMidBatch_thenRestarted_leavesNoDuplicatesAndNoGaps(TestDatabase test) {
    String topic = Broker.topic(1);
    armCrash(test);
    try (AuditLog shard = Shards.open(test.database());
        KafkaAuditIngest ingest =
            KafkaAuditIngest.open(
                c -> c.bootstrapServers(Broker.bootstrapServers()).topic(topic))) {
      List<CompletableFuture<Sequenced>> pending = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String actor = i == 110 ? FailOnceTrigger.ACTOR : "svc:orders";
        pending.add(ingest.append(Shards.entry("acme", actor, i)));
      }
      List<Sequenced> acks = pending.stream().map(CompletableFuture::join).toList();
      long crashOffset = acks.get(110).offset();
      SequencedAppends sequenced = SequencedAppends.of(shard);

      ShardSequencer first =
          ShardSequencer.start(
              shard,
              0,
              c ->
                  c.bootstrapServers(Broker.bootstrapServers())
                      .topic(topic)
                      .maxBatch(40)
                      .retryBackoff(Duration.ofMinutes(1)));
      Shards.await("the batch with the crash fails", () -> first.failureCount() > 0);
      first.close(); // killed while waiting to retry
      assertThat(first.state()).isEqualTo(ShardSequencer.State.CLOSED);

      // what committed is whole batches before the crash, and nothing of the failed one
      long stored = sequenced.nextOffset();
      assertThat(stored).isLessThanOrEqualTo(crashOffset);
      assertThat(shard.size()).isEqualTo(stored - acks.get(0).offset());
      assertThat(sequenced.position(crashOffset).isPending()).isTrue();

      try (ShardSequencer second =
          ShardSequencer.start(
              shard, 0, c -> c.bootstrapServers(Broker.bootstrapServers()).topic(topic))) {
        Shards.await("all 200 are integrated", () -> shard.size() == 200);
        long expected = 200 - (stored - acks.get(0).offset());
        // the sequencer counts a batch just after its commit, which the size may show first
        Shards.await(
            "the sequencer counted its batches", () -> second.integratedCount() >= expected);
        assertThat(second.integratedCount()).isEqualTo(expected);
        assertThat(second.fencedCount()).isZero();
      }
      assertThat(sequenced.nextOffset()).isEqualTo(acks.get(199).offset() + 1);
      for (int i = 0; i < 200; i++) {
        long seq = sequenced.position(acks.get(i).offset()).seq().orElseThrow();
        assertThat(seq).isEqualTo(i);
        assertThat(shard.read(seq).orElseThrow().entry().requestId()).isEqualTo("req-" + i);
      }
      assertThat(shard.verify().failure()).isEmpty();
    }
  }
}
