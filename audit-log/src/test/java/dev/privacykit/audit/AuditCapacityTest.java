package dev.privacykit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Room in the queue is held before the work it records runs, and one tenant's waiting entries can
 * take only its share of the queue.
 */
class AuditCapacityTest {

  private static AuditEntry read(String tenant) {
    return AuditEntry.builder(tenant, "agent", Action.READ).subject("subj_1").build();
  }

  @DatabaseTest
  void aReservation_holdsRoom_andIsGivenBackWhenUnused(Database db) {
    try (AuditLog log = Logs.open(db, c -> c.queueCapacity(100).tenantShare(0.5))) {
      AuditLog.Reservation used = log.reserve("acme");
      long seq = used.append(read("acme")).join();
      assertThat(log.read(seq)).isPresent();
      assertThatThrownBy(() -> used.append(read("acme"))).isInstanceOf(IllegalStateException.class);
      AuditLog.Reservation other = log.reserve("acme");
      assertThatThrownBy(() -> other.append(read("globex")))
          .isInstanceOf(IllegalArgumentException.class);
      other.close();
      other.close(); // once
    }
  }

  @DatabaseTest
  void aTenantsWaitingEntries_takeOnlyItsShare_andTheRoomComesBack(TestDatabase test)
      throws Exception {
    if (test.dialect() != Dialect.POSTGRESQL) {
      return; // H2 gives up on the held lock after a timeout: the case below covers that
    }
    try (AuditLog log = Logs.open(test.database(), c -> c.queueCapacity(100).tenantShare(0.5));
        Connection stall = test.ownerConnection()) {
      String flood = "t_" + UUID.randomUUID().toString().substring(0, 8);
      // hold the tree head so that nothing queued is written
      stall.setAutoCommit(false);
      try (Statement sql = stall.createStatement()) {
        sql.execute("SELECT tree_size FROM audit_state WHERE id = 1 FOR UPDATE");
      }
      // the writer takes a first entry and waits on the lock with it: it takes nothing more
      List<CompletableFuture<Long>> queued = new ArrayList<>();
      queued.add(log.append(read(flood)));
      long deadline = System.currentTimeMillis() + 10_000;
      while (log.queueDepth() > 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      for (int i = 0; i < 50; i++) {
        queued.add(log.reserve(flood).append(read(flood)));
      }
      assertThatThrownBy(() -> log.reserve(flood))
          .as("the flooding tenant is held to its share")
          .isInstanceOf(AuditLogException.Overloaded.class);
      assertThatThrownBy(() -> log.append(read(flood)).join())
          .hasCauseInstanceOf(AuditLogException.Overloaded.class);
      // another tenant still has room
      AuditLog.Reservation quiet = log.reserve("quiet");
      CompletableFuture<Long> quietEntry = quiet.append(read("quiet"));
      stall.rollback();
      for (CompletableFuture<Long> f : queued) {
        f.get(30, TimeUnit.SECONDS);
      }
      quietEntry.get(30, TimeUnit.SECONDS);
      // written: the tenant's room is back
      log.reserve(flood).close();
      assertThat(log.verify().failure()).isEmpty();
    }
  }

  @DatabaseTest
  void aWriterThatCannotWrite_refusesReservations_untilTheDatabaseAnswersAgain(TestDatabase test)
      throws Exception {
    if (test.dialect() != Dialect.H2) {
      return; // PostgreSQL waits on the held lock instead of failing: the case above covers it
    }
    try (AuditLog log = Logs.open(test.database());
        Connection stall = test.ownerConnection()) {
      stall.setAutoCommit(false);
      try (Statement sql = stall.createStatement()) {
        sql.execute("SELECT tree_size FROM audit_state WHERE id = 1 FOR UPDATE");
      }
      CompletableFuture<Long> blocked = log.append(read("acme"));
      assertThatThrownBy(() -> blocked.get(60, TimeUnit.SECONDS))
          .hasCauseInstanceOf(AuditLogException.class);
      assertThatThrownBy(() -> log.reserve("acme"))
          .isInstanceOf(AuditLogException.Unavailable.class);
      stall.rollback();
      long deadline = System.currentTimeMillis() + 10_000;
      AuditLog.Reservation back = null;
      while (back == null && System.currentTimeMillis() < deadline) {
        try {
          back = log.reserve("acme");
        } catch (AuditLogException.Unavailable e) {
          Thread.sleep(50);
        }
      }
      assertThat(back).as("reservations resume once the database answers").isNotNull();
      assertThat(back.append(read("acme")).get(30, TimeUnit.SECONDS)).isNotNegative();
    }
  }
}
