package dev.privacykit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.spi.Jdbis;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.LongStream;
import org.jdbi.v3.core.Jdbi;

/**
 * Sequenced appends: batches fenced by the source offset on the tree head. The test class's
 * database is shared by its tests, so each starts from the offset and size it finds.
 */
class SequencedAppendsTest {

  private static List<AuditEntry> entries(int n) {
    List<AuditEntry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Logs.read("subj_" + i));
    }
    return out;
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  private static long sequencedRows(Database db) {
    return Jdbis.of(db)
        .withHandle(
            h -> h.createQuery("SELECT COUNT(*) FROM audit_sequenced").mapTo(Long.class).one());
  }

  @DatabaseTest
  void integrate_writesTheBatchInOrder_andMovesTheOffset(Database db) {
    try (AuditLog log = Logs.open(db)) {
      SequencedAppends sequenced = SequencedAppends.of(log);
      long from = sequenced.nextOffset();
      long size = log.size();

      List<Long> seqs = sequenced.integrate(entries(5), range(from, from + 5), from, from + 5);

      assertThat(seqs).containsExactlyElementsOf(range(size, size + 5));
      assertThat(sequenced.nextOffset()).isEqualTo(from + 5);
      assertThat(log.size()).isEqualTo(size + 5);
      SequencedAppends.Position third = sequenced.position(from + 2);
      assertThat(third.isIntegrated()).isTrue();
      assertThat(third.seq()).hasValue(size + 2);
      assertThat(log.read(size + 2).orElseThrow().entry().subject()).isEqualTo("subj_2");
      assertThat(sequenced.position(from + 5).isPending()).isTrue();
      assertThat(log.verify().failure()).isEmpty();
    }
  }

  @DatabaseTest
  void aStaleExpectedOffset_isFenced_andWritesNothing(Database db) {
    try (AuditLog log = Logs.open(db)) {
      SequencedAppends sequenced = SequencedAppends.of(log);
      long from = sequenced.nextOffset();
      sequenced.integrate(entries(3), range(from, from + 3), from, from + 3);
      long size = log.size();
      long rows = sequencedRows(db);

      // a second sequencer that read the offset before the first batch, replaying that batch
      assertThatThrownBy(
              () ->
                  SequencedAppends.of(log)
                      .integrate(entries(3), range(from, from + 3), from, from + 3))
          .isInstanceOfSatisfying(
              AuditLogException.SequencerFenced.class,
              e -> {
                assertThat(e.expectedOffset()).isEqualTo(from);
                assertThat(e.storedOffset()).isEqualTo(from + 3);
              })
          .hasMessage(
              "sequenced batch refused: expected source offset "
                  + from
                  + ", but the log's head holds "
                  + (from + 3)
                  + "; another sequencer has moved it, so nothing was written");
      // and one that runs ahead of the head
      assertThatThrownBy(
              () -> sequenced.integrate(entries(1), List.of(from + 9), from + 9, from + 10))
          .isInstanceOf(AuditLogException.SequencerFenced.class);

      assertThat(log.size()).isEqualTo(size);
      assertThat(sequencedRows(db)).isEqualTo(rows);
      assertThat(sequenced.nextOffset()).isEqualTo(from + 3);
      assertThat(log.verify().failure()).isEmpty();
    }
  }

  @DatabaseTest
  void twoSequencersRacingFromOneOffset_oneWins_andTheOtherIsFenced(TestDatabase test)
      throws Exception {
    try (AuditLog log = Logs.open(test.database());
        Database other = test.openAnother();
        AuditLog otherLog = Logs.open(other)) {
      long from = SequencedAppends.of(log).nextOffset();
      long size = log.size();
      for (int round = 0; round < 10; round++) {
        long expected = from + round * 4L;
        CyclicBarrier start = new CyclicBarrier(2);
        List<CompletableFuture<Object>> racers = new ArrayList<>();
        for (AuditLog each : List.of(log, otherLog)) {
          SequencedAppends sequenced = SequencedAppends.of(each);
          racers.add(
              CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      start.await();
                      return sequenced.integrate(
                          entries(4), range(expected, expected + 4), expected, expected + 4);
                    } catch (AuditLogException.SequencerFenced e) {
                      return e;
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }));
        }
        List<Object> results = racers.stream().map(CompletableFuture::join).toList();
        assertThat(results)
            .as("round " + round)
            .filteredOn(r -> r instanceof AuditLogException.SequencerFenced)
            .hasSize(1);
      }
      assertThat(log.size()).isEqualTo(size + 40);
      SequencedAppends sequenced = SequencedAppends.of(log);
      assertThat(sequenced.nextOffset()).isEqualTo(from + 40);
      for (long offset = from; offset < from + 40; offset++) {
        assertThat(sequenced.position(offset).seq()).hasValue(size + offset - from);
      }
      assertThat(log.verify().failure()).isEmpty();
    }
  }

  @DatabaseTest
  void sequencedBatches_andOrdinaryAppends_goOnSideBySide(Database db) throws Exception {
    try (AuditLog log = Logs.open(db)) {
      SequencedAppends sequenced = SequencedAppends.of(log);
      long from = sequenced.nextOffset();
      long size = log.size();
      CountDownLatch done = new CountDownLatch(1);
      CompletableFuture<List<Long>> appended =
          CompletableFuture.supplyAsync(
              () -> {
                List<Long> seqs = new ArrayList<>();
                while (done.getCount() > 0 || seqs.size() < 50) {
                  seqs.add(log.append(Logs.read("subj_direct")).join());
                }
                return seqs;
              });
      List<Long> integrated = new ArrayList<>();
      for (int batch = 0; batch < 20; batch++) {
        long expected = from + batch * 5L;
        integrated.addAll(
            sequenced.integrate(entries(5), range(expected, expected + 5), expected, expected + 5));
      }
      done.countDown();
      List<Long> direct = appended.join();

      List<Long> all = new ArrayList<>(integrated);
      all.addAll(direct);
      assertThat(all).doesNotHaveDuplicates().hasSize(100 + direct.size());
      assertThat(all.stream().mapToLong(Long::longValue).min().orElseThrow()).isEqualTo(size);
      assertThat(log.size()).isEqualTo(size + all.size());
      assertThat(integrated).isSorted();
      assertThat(log.verify().failure()).isEmpty();
    }
  }

  @DatabaseTest
  void offsetsLeftOut_areSkipped_andLaterOnesPending(Database db) {
    try (AuditLog log = Logs.open(db)) {
      SequencedAppends sequenced = SequencedAppends.of(log);
      long from = sequenced.nextOffset();

      sequenced.integrate(entries(2), List.of(from + 1, from + 3), from, from + 5);

      assertThat(sequenced.position(from).isSkipped()).isTrue();
      assertThat(sequenced.position(from + 1).isIntegrated()).isTrue();
      assertThat(sequenced.position(from + 4).isSkipped()).isTrue();
      assertThat(sequenced.position(from + 5).isPending()).isTrue();
      // a batch of nothing but skipped records still moves the offset
      sequenced.integrate(List.of(), List.of(), from + 5, from + 6);
      assertThat(sequenced.nextOffset()).isEqualTo(from + 6);
    }
  }

  @DatabaseTest
  void anOffsetSetBackByHand_cannotIntegrateAnOffsetTwice(TestDatabase test) {
    try (AuditLog log = Logs.open(test.database())) {
      SequencedAppends sequenced = SequencedAppends.of(log);
      long from = sequenced.nextOffset();
      sequenced.integrate(entries(2), range(from, from + 2), from, from + 2);
      long size = log.size();
      Jdbi jdbi = Jdbis.of(test.database());
      jdbi.useHandle(
          h -> h.execute("UPDATE audit_state SET sequenced_offset = ? WHERE id = 1", from));

      assertThatThrownBy(
              () -> sequenced.integrate(entries(2), range(from, from + 2), from, from + 2))
          .isInstanceOf(AuditLogException.class)
          .hasMessageStartingWith("sequenced entries could not be written");

      assertThat(log.size()).isEqualTo(size);
      assertThat(sequenced.nextOffset()).isEqualTo(from);
      jdbi.useHandle(
          h -> h.execute("UPDATE audit_state SET sequenced_offset = ? WHERE id = 1", from + 2));
      assertThat(log.verify().failure()).isEmpty();
    }
  }

  @DatabaseTest
  void theOffsetMap_isAppendOnly(TestDatabase test) {
    try (AuditLog log = Logs.open(test.database())) {
      SequencedAppends sequenced = SequencedAppends.of(log);
      long from = sequenced.nextOffset();
      sequenced.integrate(entries(1), List.of(from), from, from + 1);
      Jdbi jdbi = Jdbis.of(test.database());
      List<String> changes =
          new ArrayList<>(
              List.of(
                  "UPDATE audit_sequenced SET seq = seq + 1",
                  "DELETE FROM audit_sequenced WHERE source_offset = " + from));
      if (test.dialect() == Dialect.POSTGRESQL) {
        changes.add("TRUNCATE audit_sequenced");
      }
      for (String sql : changes) {
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(sql)))
            .as(sql)
            .hasStackTraceContaining("the audit log is append-only");
      }
    }
  }

  @DatabaseTest(Dialect.H2)
  void offsetsThatDoNotIncreaseWithinTheBatch_areRefused(Database db) {
    try (AuditLog log = Logs.open(db)) {
      SequencedAppends sequenced = SequencedAppends.of(log);
      assertThatThrownBy(() -> sequenced.integrate(entries(2), List.of(4L, 4L), 0, 9))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("source offsets must increase within [0, 9)");
      assertThatThrownBy(() -> sequenced.integrate(entries(1), List.of(9L), 0, 9))
          .hasMessage("source offsets must increase within [0, 9)");
      assertThatThrownBy(() -> sequenced.integrate(entries(2), List.of(1L), 0, 9))
          .hasMessage("give one source offset per entry");
      assertThatThrownBy(() -> sequenced.integrate(List.of(), List.of(), 3, 3))
          .hasMessage("offsets must satisfy 0 <= expectedOffset < nextOffset, were 3 and 3");
      assertThat(log.size()).isZero();
    }
  }
}
