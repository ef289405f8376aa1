package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.privacykit.crypto.Keyring;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One tenant's black-hole or trickling receivers cannot delay another tenant's withdrawal notices:
 * deliveries run concurrently, a tenant has a share of the slots, each attempt ends within the
 * timeout, and a tenant has a bounded number of recipients.
 */
class WebhookDeliveryLimitsTest {

  /** Accepts connections and never answers; counts them. */
  private static final class BlackHole implements AutoCloseable {
    final ServerSocket socket;
    final List<Socket> held = new CopyOnWriteArrayList<>();
    final Thread acceptor;

    BlackHole(Consumer<Socket> onAccept) throws Exception {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    Socket s = socket.accept();
                    held.add(s);
                    onAccept.accept(s);
                  }
                } catch (Exception closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/hook");
    }

    @Override
    public void close() throws Exception {
      socket.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }

  private static Webhooks open(Database db, Consumer<WebhooksConfig> more) {
    return Webhooks.open(
        db,
        c -> {
          c.keyring(Keyring.inMemory()).insecureAllowPlainHttp().insecureAllowPrivateTargets();
          more.accept(c);
        });
  }

  private static String tenant() {
    return "t_" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void withdraw(Database db, String tenant, String subject) {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(PolicyPacks.gdpr()))) {
      ConsentChange change = ConsentChange.of(tenant, subject, "email_marketing", 2, "en");
      ledger.give(change);
      ledger.withdraw(change);
    }
  }

  @DatabaseTest
  void silentReceiversOfOneTenant_doNotDelayAnothersNotice(Database db) throws Exception {
    CountDownLatch fastReceived = new CountDownLatch(1);
    HttpServer fast = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    fast.createContext(
        "/hook",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
          fastReceived.countDown();
        });
    fast.start();
    try (BlackHole hole = new BlackHole(s -> {});
        Webhooks webhooks =
            open(db, c -> c.timeout(Duration.ofSeconds(30)).concurrency(4).perTenantInFlight(2))) {
      String slow = tenant();
      for (int i = 0; i < 3; i++) {
        webhooks.register(slow, hole.url(), Set.of("consent.withdrawn"));
      }
      String other = tenant();
      webhooks.register(
          other,
          URI.create("http://127.0.0.1:" + fast.getAddress().getPort() + "/hook"),
          Set.of("consent.withdrawn"));
      for (int i = 0; i < 4; i++) {
        withdraw(db, slow, "subj_" + i); // 12 deliveries to the black hole, all older
      }
      withdraw(db, other, "subj_1");

      int started = webhooks.startDue();
      assertThat(started).as("the slow tenant's share, and the other tenant's one").isEqualTo(3);
      assertThat(fastReceived.await(20, TimeUnit.SECONDS))
          .as("delivered while the silent receivers still hold their slots")
          .isTrue();
      // a later round starts none of the slow tenant's: its share is in flight
      assertThat(webhooks.startDue()).isZero();
      assertThat(hole.held).hasSizeLessThanOrEqualTo(2);
      assertThat(webhooks.deliveries(slow)).allSatisfy(d -> assertThat(d.attempts()).isZero());
      eventuallyDelivered(webhooks, other);
    } finally {
      fast.stop(0);
    }
  }

  @DatabaseTest
  void aTricklingReceiver_isCutOffAtTheTimeout(Database db) throws Exception {
    try (BlackHole trickle =
            new BlackHole(
                s ->
                    CompletableFuture.runAsync(
                        () -> {
                          try {
                            OutputStream out = s.getOutputStream();
                            out.write(
                                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            while (true) {
                              out.write("1\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
                              out.flush();
                              Thread.sleep(200);
                            }
                          } catch (Exception closed) {
                            // the client gave up
                          }
                        }));
        Webhooks webhooks = open(db, c -> c.timeout(Duration.ofSeconds(1)))) {
      String tenant = tenant();
      webhooks.register(tenant, trickle.url(), Set.of("consent.withdrawn"));
      withdraw(db, tenant, "subj_1");
      // bounded here only so that a regression fails instead of hanging the build
      int delivered =
          CompletableFuture.supplyAsync(webhooks::dispatchDue).get(60, TimeUnit.SECONDS);
      assertThat(delivered).isZero();
      assertThat(webhooks.deliveries(tenant))
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.status()).isEqualTo("PENDING");
                assertThat(d.lastError()).isEqualTo("timeout");
              });
    }
  }

  @DatabaseTest
  void aTenantHasBoundedRecipients_andRemovingOneFreesItsPlace(Database db) throws Exception {
    try (Webhooks webhooks = open(db, c -> c.maxRecipientsPerTenant(2))) {
      String tenant = tenant();
      URI url = URI.create("http://127.0.0.1:9/hook");
      Webhooks.Recipient first = webhooks.register(tenant, url, Set.of("consent.withdrawn"));
      webhooks.register(tenant, url, Set.of("consent.withdrawn"));
      assertThatThrownBy(() -> webhooks.register(tenant, url, Set.of("consent.withdrawn")))
          .isInstanceOfSatisfying(
              ConsentException.class,
              e -> assertThat(e.kind()).isEqualTo(ConsentException.Kind.LIMIT_REACHED));
      // another tenant has its own limit, and cannot remove this tenant's recipient
      String other = tenant();
      webhooks.register(other, url, Set.of("consent.withdrawn"));
      assertThat(webhooks.remove(other, first.id())).isFalse();

      assertThat(webhooks.remove(tenant, first.id())).isTrue();
      assertThat(webhooks.remove(tenant, first.id())).isFalse();
      webhooks.register(tenant, url, Set.of("consent.withdrawn"));
      // a removed recipient gets no new event
      withdraw(db, tenant, "subj_1");
      List<WebhookDelivery> deliveries = webhooks.deliveries(tenant);
      assertThat(deliveries)
          .hasSize(2)
          .noneSatisfy(d -> assertThat(d.recipientId()).isEqualTo(first.id()));
      // the class shares its database: leave no due delivery for the other cases
      for (WebhookDelivery d : deliveries) {
        webhooks.remove(tenant, d.recipientId());
      }
    }
  }

  private static void eventuallyDelivered(Webhooks webhooks, String tenant) throws Exception {
    for (int i = 0; i < 100; i++) {
      if (webhooks.deliveries(tenant).stream().allMatch(d -> d.status().equals("DELIVERED"))) {
        return;
      }
      Thread.sleep(100);
    }
    assertThat(webhooks.deliveries(tenant))
        .allSatisfy(d -> assertThat(d.status()).isEqualTo("DELIVERED"));
  }
}
