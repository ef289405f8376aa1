package dev.privacykit.audit.kafka;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.api.Trigger;

/**
 * An H2 trigger on audit_entries that fails the first insert of an entry by actor {@value #ACTOR}:
 * the sequencer's transaction dies after it wrote some rows of its batch, as if the process were
 * killed there. PostgreSQL gets the same from a plpgsql function ({@link SequencerRestartTest}).
 */
public final class FailOnceTrigger implements Trigger {
  static final String ACTOR = "svc:crash";
  static final AtomicBoolean ARMED = new AtomicBoolean();

  @Override
  public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
    // columns: seq, recorded_at, tenant, actor, ...
    if (ACTOR.equals(newRow[3]) && ARMED.getAndSet(false)) {
      throw new SQLException("simulated crash in the middle of a batch");
    }
  }
}
