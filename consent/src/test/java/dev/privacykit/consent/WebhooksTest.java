package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.privacykit.crypto.Keyring;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.policies.Regime;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

class WebhooksTest {

  /** A receiver on a loopback port that fails the first {@code failures} calls with 500. */
  private record Received(String signature, String type, String body) {}

  @DatabaseTest
  void withdrawal_isDelivered_afterRetries_withAVerifiableSignature(Database db) throws Exception {
    List<Received> received = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.add(
              new Received(
                  exchange.getRequestHeaders().getFirst("PrivacyKit-Signature"),
                  exchange.getRequestHeaders().getFirst("PrivacyKit-Event-Type"),
                  body));
          exchange.sendResponseHeaders(calls.incrementAndGet() <= 2 ? 500 : 204, -1);
          exchange.close();
        });
    server.start();
    try {
      // the ledger stamps outbox events with the real time; start the dispatcher just after it
      MutableClock clock = new MutableClock(Instant.now().plusSeconds(1));
      Webhooks webhooks =
          Webhooks.open(
              db,
              c ->
                  c.keyring(Keyring.inMemory())
                      .clock(clock)
                      .insecureAllowPlainHttp()
                      .insecureAllowPrivateTargets());
      String tenant = "t_" + UUID.randomUUID().toString().substring(0, 8);
      Webhooks.Recipient recipient =
          webhooks.register(
              tenant,
              URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
              Set.of("consent.withdrawn"));
      assertThat(recipient.secret()).startsWith("whsec_");

      try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(PolicyPacks.gdpr()))) {
        ConsentChange change = ConsentChange.of(tenant, "subj_1", "email_marketing", 2, "en");
        ledger.give(change);
        ledger.withdraw(change);
      }
      assertThat(webhooks.dispatchDue()).isZero();
      assertThat(webhooks.deliveries(tenant))
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.status()).isEqualTo("PENDING");
                assertThat(d.attempts()).isEqualTo(1);
                assertThat(d.lastStatus()).isEqualTo(500);
              });
      assertThat(webhooks.dispatchDue()).isZero(); // not due again yet
      assertThat(calls.get()).isEqualTo(1);
      clock.advance(Duration.ofMinutes(1));
      assertThat(webhooks.dispatchDue()).isZero();
      clock.advance(Duration.ofMinutes(2));
      assertThat(webhooks.dispatchDue()).isEqualTo(1);
      assertThat(webhooks.deliveries(tenant))
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.status()).isEqualTo("DELIVERED");
                assertThat(d.attempts()).isEqualTo(3);
                assertThat(d.type()).isEqualTo("consent.withdrawn");
              });

      Received last = received.get(received.size() - 1);
      assertThat(last.type()).isEqualTo("consent.withdrawn");
      assertThat(last.body())
          .contains("\"type\":\"consent.withdrawn\"")
          .contains("\"subject\":\"subj_1\"")
          .contains("\"purpose\":\"email_marketing\"");
      assertThat(
              Webhooks.verifySignature(
                  recipient.secret(),
                  last.signature(),
                  last.body(),
                  clock.instant(),
                  Duration.ofMinutes(5)))
          .isTrue();
      assertThat(
              Webhooks.verifySignature(
                  recipient.secret(),
                  last.signature(),
                  last.body() + " ",
                  clock.instant(),
                  Duration.ofMinutes(5)))
          .isFalse();
      assertThat(
              Webhooks.verifySignature(
                  "whsec_other",
                  last.signature(),
                  last.body(),
                  clock.instant(),
                  Duration.ofMinutes(5)))
          .isFalse();
      assertThat(
              Webhooks.verifySignature(
                  recipient.secret(),
                  last.signature(),
                  last.body(),
                  clock.instant().plus(Duration.ofHours(1)),
                  Duration.ofMinutes(5)))
          .isFalse();
    } finally {
      server.stop(0);
    }
  }

  @DatabaseTest
  void erasure_isAnnounced_andOnlyToSubscribers(Database db) throws Exception {
    // backend.example resolves nowhere in a test: skip the address check, not what is tested here
    Webhooks webhooks =
        Webhooks.open(db, c -> c.keyring(Keyring.inMemory()).insecureAllowPrivateTargets());
    String tenant = "t_" + UUID.randomUUID().toString().substring(0, 8);
    webhooks.register(
        tenant, URI.create("https://backend.example/erased"), Set.of("subject.erased"));
    webhooks.register(
        tenant, URI.create("https://backend.example/consent"), Set.of("consent.withdrawn"));
    DataSubjectRequests requests =
        DataSubjectRequests.open(
            db, c -> c.subjectKeys(SubjectKeys.open(db, RootKeys.ephemeral())));
    DataSubjectRequest r =
        requests.submit(tenant, "subj_9", RequestType.ERASURE, Regime.GDPR, true);
    requests.erase(r.id());
    assertThat(webhooks.deliveries(tenant))
        .singleElement()
        .satisfies(d -> assertThat(d.type()).isEqualTo("subject.erased"));
  }

  @DatabaseTest
  void unreachableReceiver_staysPending_withTheTransportError_andIsRetriedLater(Database db)
      throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    MutableClock clock = new MutableClock(Instant.now().plusSeconds(1));
    Webhooks webhooks =
        Webhooks.open(
            db,
            c ->
                c.keyring(Keyring.inMemory())
                    .clock(clock)
                    .timeout(Duration.ofSeconds(1))
                    .insecureAllowPlainHttp()
                    .insecureAllowPrivateTargets());
    String tenant = "t_" + UUID.randomUUID().toString().substring(0, 8);
    int port = closedPort;
    webhooks.register(
        tenant, URI.create("http://127.0.0.1:" + port + "/hook"), Set.of("consent.withdrawn"));
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(PolicyPacks.gdpr()))) {
      ConsentChange change = ConsentChange.of(tenant, "subj_1", "email_marketing", 2, "en");
      ledger.give(change);
      ledger.withdraw(change);
    }
    assertThat(webhooks.dispatchDue()).isZero();
    assertThat(webhooks.deliveries(tenant))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.status()).isEqualTo("PENDING");
              assertThat(d.attempts()).isEqualTo(1);
              assertThat(d.lastStatus()).isNull();
              assertThat(d.lastError())
                  .as("only the kind of failure, no exception names")
                  .isEqualTo("unreachable");
              assertThat(d.nextAttemptAt()).isAfter(clock.instant());
            });
  }

  @DatabaseTest
  void register_refusesPlainHttpAndUnknownEvents(Database db) {
    Webhooks webhooks =
        Webhooks.open(db, c -> c.keyring(Keyring.inMemory()).insecureAllowPrivateTargets());
    assertThatThrownBy(
            () ->
                webhooks.register(
                    "acme", URI.create("http://backend.example/h"), Set.of("consent.withdrawn")))
        .hasMessage("url must be an absolute https:// URL");
    assertThatThrownBy(
            () ->
                webhooks.register(
                    "acme", URI.create("https://backend.example/h"), Set.of("consent.given")))
        .hasMessageStartingWith("events must be some of");
  }

  /** A tenant cannot make the service call into its own network (SSRF), whatever the spelling. */
  @DatabaseTest
  void register_refusesTargetsOnNonPublicAddresses_andImpossiblePorts(Database db)
      throws Exception {
    Webhooks webhooks = Webhooks.open(db, c -> c.keyring(Keyring.inMemory()));
    for (String host :
        List.of(
            "127.0.0.1",
            "localhost",
            "10.0.0.5",
            "172.16.3.4",
            "192.168.1.1",
            "100.64.0.1",
            "169.254.169.254",
            "0.0.0.0",
            "224.0.0.1",
            "[::1]",
            "[::]",
            "[fc00::1]",
            "[fe80::1]",
            "[::ffff:127.0.0.1]",
            "[::ffff:10.0.0.1]",
            "[64:ff9b::a00:1]",
            "[2002:7f00:1::]")) {
      assertThatThrownBy(
              () ->
                  webhooks.register(
                      "acme", URI.create("https://" + host + "/hook"), Set.of("consent.withdrawn")))
          .as(host)
          .isInstanceOf(ConsentException.class)
          .hasMessage("url's host resolves to a private, loopback or reserved address")
          .extracting(e -> ((ConsentException) e).field())
          .isEqualTo("url");
    }
    assertThatThrownBy(
            () ->
                webhooks.register(
                    "acme", URI.create("https://93.184.216.34:70000/h"), Set.of("subject.erased")))
        .hasMessage("url has a port outside 1 to 65535");
    assertThatThrownBy(
            () ->
                webhooks.register(
                    "acme", URI.create("https://user@93.184.216.34/h"), Set.of("subject.erased")))
        .hasMessage("url must be an absolute URL without user info");
    assertThat(
            webhooks
                .register("acme", URI.create("https://93.184.216.34/h"), Set.of("subject.erased"))
                .id())
        .as("a public address literal registers without any lookup")
        .isNotBlank();
    assertThat(WebhookTargets.isPublic(java.net.InetAddress.getByName("2001:4860:4860::8888")))
        .isTrue();
  }
}
