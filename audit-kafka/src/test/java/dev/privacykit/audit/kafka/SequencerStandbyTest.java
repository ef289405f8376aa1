package dev.privacykit.audit.kafka;

import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;

/**
 * Two sequencers that resume after being fenced keep racing for every batch: still each offset once
 * and in order. (A class of its own: a shard takes one topic, and the database is the class's.)
 */
class SequencerStandbyTest {

  @DatabaseTest
  void twoResumingSequencers_keepRacing_andEachOffsetIsStillWrittenOnceInOrder(TestDatabase test) {
    SequencerRaceTest.raceTwoSequencers(test, KafkaAuditConfig.OnFenced.RESUME);
  }
}
