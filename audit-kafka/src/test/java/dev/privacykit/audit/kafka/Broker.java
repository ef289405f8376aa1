package dev.privacykit.audit.kafka;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One in-process KRaft Kafka (a combined broker and controller) for the whole test run, started on
 * first use; each test makes its own topic.
 */
final class Broker {
  private static KafkaClusterTestKit cluster;

  private Broker() {}

  /** The bootstrap servers of the running broker, starting it on first call. */
  static synchronized String bootstrapServers() {
    if (cluster == null) {
      try {
        KafkaClusterTestKit started =
            new KafkaClusterTestKit.Builder(
                    new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        started.format();
        started.startup();
        started.waitForReadyBrokers();
        cluster = started;
        Runtime.getRuntime().addShutdownHook(new Thread(Broker::stop));
      } catch (Exception e) {
        throw new IllegalStateException("the in-process Kafka broker did not start", e);
      }
    }
    return cluster.bootstrapServers();
  }

  /** A new topic with {@code partitions} partitions (replication factor 1). */
  static String topic(int partitions) {
    String name = "audit-" + UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    } catch (Exception e) {
      throw new IllegalStateException("could not create topic " + name, e);
    }
    return name;
  }

  private static synchronized void stop() {
    try {
      cluster.close();
    } catch (Exception e) {
      // the JVM is exiting
    }
  }
}
