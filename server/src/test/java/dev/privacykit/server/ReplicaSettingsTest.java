package dev.privacykit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.storage.Dialect;
import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.net.ServerSocket;
import java.util.Map;

/**
 * {@code database.replica_url}: none by default; refused, naming the setting, for an embedded
 * primary or a replica that is not PostgreSQL; and an unreachable replica does not stop the start
 * (audit reads go to the primary, with a warning).
 */
class ReplicaSettingsTest {

  private static ServerConfig withReplica(String url) {
    return new ServerConfig(Map.of(Setting.DATABASE_REPLICA_URL, url));
  }

  @DatabaseTest(Dialect.H2)
  void noReplicaByDefault_andAnEmbeddedPrimaryOrANonPostgresReplicaIsRefused(TestDatabase h2) {
    assertThat(ReplicaSettings.open(new ServerConfig(Map.of()), h2.database())).isNull();
    for (String url :
        new String[] {"jdbc:postgresql://127.0.0.1:5432/test", "jdbc:h2:mem:replica"}) {
      assertThatThrownBy(() -> ReplicaSettings.open(withReplica(url), h2.database()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("database.replica_url")
          .hasMessageContaining("PostgreSQL");
    }
  }

  @DatabaseTest(Dialect.POSTGRESQL)
  void anUnreachableReplica_leavesReadsOnThePrimary_ratherThanStoppingTheStart(TestDatabase pg)
      throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/test?user=postgres";
    assertThatThrownBy(() -> ReplicaSettings.open(withReplica("jdbc:h2:mem:x"), pg.database()))
        .hasMessageContaining("database.replica_url");
    assertThat(ReplicaSettings.open(withReplica(url), pg.database())).isNull();
  }
}
