package dev.privacykit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.storage.testing.DatabaseTest;
import dev.privacykit.storage.testing.TestDatabase;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

class ChangeFeedTest {

  @DatabaseTest
  void publish_reachesAnotherProcessesFeed_withinASecond(TestDatabase test) throws Exception {
    String channel = "pk_test_" + test.dialect().migrationFolder();
    try (Database otherPool = test.openAnother();
        ChangeFeed mine = ChangeFeed.open(test.database(), channel);
        ChangeFeed theirs =
            ChangeFeed.open(test.dialect() == Dialect.H2 ? test.database() : otherPool, channel)) {
      LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
      theirs.subscribe(
          payload -> {
            if (payload != null) {
              received.add(payload);
            }
          });
      Thread.sleep(300); // let the listener connect
      mine.publish("acme/subj_1/marketing");
      assertThat(received.poll(1, TimeUnit.SECONDS)).isEqualTo("acme/subj_1/marketing");
    }
  }

  @DatabaseTest
  void channel_mustBeAnIdentifier(Database db) {
    assertThatThrownBy(() -> ChangeFeed.open(db, "x; DROP TABLE y"))
        .hasMessage("channel must be a lower-case identifier");
  }
}
