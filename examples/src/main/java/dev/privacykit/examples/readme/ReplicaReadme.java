package dev.privacykit.examples.readme;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.ReplicaCatchUp;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * storage/README.md's replica snippet, compiled by ReadmeSnippetsTest (run against a real replica
 * by ReplicaCatchUpTest and ReplicaReadTest, which make one).
 */
public final class ReplicaReadme {
  private ReplicaReadme() {}

  /** Whether {@code replica} has replayed everything {@code primary} committed so far. */
  public static boolean caughtUp(Database primary, DataSource replica) {
    // readme:begin
    String lsn = ReplicaCatchUp.primaryLsn(primary.dataSource()); // after the commit
    boolean caughtUp = ReplicaCatchUp.waitFor(lsn, replica, Duration.ofMillis(200));
    // readme:end
    return caughtUp;
  }
}
