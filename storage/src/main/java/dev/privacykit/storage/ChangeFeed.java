package dev.privacykit.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every process that shares a database that something changed, so caches can drop it. On
 * PostgreSQL it is LISTEN/NOTIFY on a channel (one listening connection per feed, reconnecting on
 * failure); on H2, which one process holds, it is delivered in process.
 *
 * <p>Publish after the change commits. A listener receives the payload, or {@code null} when
 * notifications may have been missed (the listening connection was lost) and everything should be
 * treated as changed. Payloads are at most 7,000 bytes and must carry no personal data.
 *
 * <p>Thread-safe.
 */
public final class ChangeFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
  private static final Map<String, List<ChangeFeed>> IN_PROCESS = new ConcurrentHashMap<>();

  private final Database database;
  private final String channel;
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private final String localKey;
  private volatile boolean closed;
  private Thread listenerThread;

  private ChangeFeed(Database database, String channel) {
    this.database = database;
    this.channel = channel;
    this.localKey = database.location() + "#" + channel;
  }

  /**
   * Opens a feed on {@code channel} (lower-case letters, digits and '_').
   *
   * @throws IllegalArgumentException if the channel name is not a plain identifier
   */
  public static ChangeFeed open(Database database, String channel) {
    if (channel == null || !channel.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("channel must be a lower-case identifier");
    }
    ChangeFeed feed = new ChangeFeed(database, channel);
    if (database.dialect().supportsCrossProcessNotify()) {
      feed.listenerThread = new Thread(feed::listen, "privacykit-feed-" + channel);
      feed.listenerThread.setDaemon(true);
      feed.listenerThread.start();
    } else {
      IN_PROCESS.computeIfAbsent(feed.localKey, k -> new CopyOnWriteArrayList<>()).add(feed);
    }
    return feed;
  }

  /** Registers a listener for payloads (and {@code null}: "anything may have changed"). */
  public void subscribe(Consumer<String> listener) {
    listeners.add(listener);
  }

  /**
   * Queues the notification inside the caller's transaction, on its connection: PostgreSQL sends it
   * when (and only if) the transaction commits, with no commit of its own. Call {@link
   * #publishedLocally} after the commit so this process sees the change at once. On H2 this does
   * nothing: {@code publishedLocally} delivers in process.
   */
  public void publishWithin(Connection transaction, String payload) throws SQLException {
    if (!database.dialect().supportsCrossProcessNotify()) {
      return;
    }
    try (PreparedStatement statement = transaction.prepareStatement("SELECT pg_notify(?, ?)")) {
      statement.setString(1, channel);
      statement.setString(2, payload);
      statement.execute();
    }
  }

  /**
   * Delivers a committed change to this process's listeners (and, on H2, every feed in process).
   */
  public void publishedLocally(String payload) {
    if (!database.dialect().supportsCrossProcessNotify()) {
      for (ChangeFeed feed : IN_PROCESS.getOrDefault(localKey, List.of())) {
        feed.deliver(payload);
      }
      return;
    }
    deliver(payload);
  }

  /** Tells every process, this one included, that {@code payload} changed. */
  public void publish(String payload) {
    if (!database.dialect().supportsCrossProcessNotify()) {
      for (ChangeFeed feed : IN_PROCESS.getOrDefault(localKey, List.of())) {
        feed.deliver(payload);
      }
      return;
    }
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
      statement.setString(1, channel);
      statement.setString(2, payload);
      statement.execute();
    } catch (SQLException e) {
      // the change is committed; other processes' caches expire on their own
      log.warn("change feed {}: notify failed ({})", channel, e.getSQLState());
      deliver(payload);
    }
  }

  private void deliver(String payload) {
    for (Consumer<String> listener : listeners) {
      try {
        listener.accept(payload);
      } catch (RuntimeException e) {
        log.warn("change feed {}: a listener failed: {}", channel, e.getClass().getSimpleName());
      }
    }
  }

  private void listen() {
    while (!closed) {
      try (Connection connection = database.dataSource().getConnection()) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + channel);
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        deliver(null); // anything sent while not listening was missed
        while (!closed) {
          PGNotification[] notifications = pg.getNotifications(500);
          if (notifications != null) {
            for (PGNotification n : notifications) {
              deliver(n.getParameter());
            }
          }
        }
      } catch (SQLException e) {
        if (!closed) {
          log.warn(
              "change feed {}: listening connection lost ({}); reconnecting",
              channel,
              e.getSQLState());
          try {
            Thread.sleep(1_000);
          } catch (InterruptedException interrupted) {
            return;
          }
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    List<ChangeFeed> local = IN_PROCESS.get(localKey);
    if (local != null) {
      local.remove(this);
    }
    if (listenerThread != null) {
      try {
        listenerThread.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
