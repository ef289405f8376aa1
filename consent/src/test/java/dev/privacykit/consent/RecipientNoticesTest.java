package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.privacykit.crypto.Keyring;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.policies.Regime;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Rectification, erasure and restriction reach the recipients of the policy (GDPR Art. 19, DPDP Act
 * s.8(7)(b)): one signed notice per recipient per step, queued in the step's transaction, a tracked
 * row per recipient (those without a webhook listed as {@code no_endpoint}), confirmations bound to
 * tenant, request and recipient, and {@code overdue} after the period.
 */
class RecipientNoticesTest {
  private static final PolicySet GDPR = PolicyPacks.gdpr();
  private static final Set<String> NOTICES =
      Set.of("subject.erased", "subject.rectified", "processing.restricted");
  private static final List<String> ALL_RECIPIENTS =
      List.of("ad_network", "carrier", "email_service", "payment_processor", "tax_authority");

  private record Received(String type, String signature, String body) {}

  private static String tenant() {
    return "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Webhooks webhooks(Database db) {
    return Webhooks.open(
        db,
        c -> c.keyring(Keyring.inMemory()).insecureAllowPlainHttp().insecureAllowPrivateTargets());
  }

  private static long count(Database db, String sql, String value) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, value);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static Map<String, String> statuses(List<RecipientNotice> notices) {
    return notices.stream()
        .collect(
            Collectors.toMap(
                RecipientNotice::recipient, RecipientNotice::status, (a, b) -> a, TreeMap::new));
  }

  @DatabaseTest
  void erasure_sendsOneSignedNoticePerRecipient_listsThoseWithoutAWebhook_andTracksDelivery(
      Database db) throws Exception {
    List<Received> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          received.add(
              new Received(
                  exchange.getRequestURI().getPath()
                      + " "
                      + exchange.getRequestHeaders().getFirst("PrivacyKit-Event-Type"),
                  exchange.getRequestHeaders().getFirst("PrivacyKit-Signature"),
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
    MutableClock clock =
        new MutableClock(Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS));
    SubjectKeys keys = SubjectKeys.open(db, RootKeys.ephemeral());
    try (Webhooks webhooks = webhooks(db)) {
      String tenant = tenant();
      Webhooks.Recipient carrier =
          webhooks.register(
              tenant, URI.create(base + "/carrier"), NOTICES, GDPR.recipients().get("carrier"));
      webhooks.register(
          tenant,
          URI.create(base + "/payments"),
          Set.of(
              "subject.erased", "subject.rectified", "processing.restricted", "consent.withdrawn"),
          GDPR.recipients().get("payment_processor"));
      webhooks.register(tenant, URI.create(base + "/host"), Set.of("subject.erased"));
      DataSubjectRequests requests =
          DataSubjectRequests.open(db, c -> c.policy(GDPR).subjectKeys(keys).clock(clock));
      RecipientConfirmations confirmations = RecipientConfirmations.open(db, requests);
      String subject = "subj_" + UUID.randomUUID();
      DataSubjectRequest erasure =
          requests.submit(tenant, subject, RequestType.ERASURE, Regime.GDPR, true);

      requests.erase(erasure.id());

      List<RecipientNotice> notices = confirmations.of(tenant, erasure.id());
      assertThat(notices)
          .extracting(RecipientNotice::recipient)
          .containsExactlyElementsOf(ALL_RECIPIENTS);
      assertThat(statuses(notices))
          .containsExactlyEntriesOf(
              new TreeMap<>(
                  Map.of(
                      "ad_network", "no_endpoint",
                      "carrier", "sent",
                      "email_service", "no_endpoint",
                      "payment_processor", "sent",
                      "tax_authority", "no_endpoint")));
      RecipientNotice toCarrier = notices.get(1);
      assertThat(toCarrier.eventType()).isEqualTo("subject.erased");
      assertThat(toCarrier.purposes()).containsExactly("order_fulfilment");
      assertThat(toCarrier.sentAt()).isEqualTo(clock.instant());
      assertThat(toCarrier.dueAt()).isEqualTo(clock.instant().plus(Duration.ofDays(30)));
      assertThat(toCarrier.overdue()).isFalse();
      assertThat(notices.get(0).sentAt()).as("no_endpoint: nothing was sent").isNull();
      assertThat(notices.get(0).eventId()).isNull();
      assertThat(notices.get(0).dueAt()).isEqualTo(clock.instant().plus(Duration.ofDays(30)));
      // One delivery per linked webhook (its notice) and one for the host (the announcement): the
      // linked webhooks do not also get the tenant-wide subject.erased.
      assertThat(
              count(
                  db,
                  "SELECT COUNT(*) FROM webhook_deliveries d JOIN webhook_outbox o ON o.id ="
                      + " d.outbox_id WHERE o.tenant = ?",
                  tenant))
          .isEqualTo(3);
      assertThat(
              count(
                  db,
                  "SELECT COUNT(*) FROM webhook_deliveries WHERE recipient_id = ?",
                  carrier.id()))
          .isEqualTo(1);

      assertThat(webhooks.dispatchDue()).isEqualTo(3);
      assertThat(received)
          .extracting(Received::type)
          .containsExactlyInAnyOrder(
              "/carrier subject.erased", "/payments subject.erased", "/host subject.erased");
      Received atCarrier =
          received.stream().filter(r -> r.type().startsWith("/carrier")).findFirst().orElseThrow();
      assertThat(
              Webhooks.verifySignature(
                  carrier.secret(),
                  atCarrier.signature(),
                  atCarrier.body(),
                  Instant.now(),
                  Duration.ofMinutes(5)))
          .isTrue();
      assertThat(atCarrier.body())
          .isEqualTo(
              "{\"type\":\"subject.erased\",\"tenant\":\""
                  + tenant
                  + "\",\"subject\":\""
                  + subject
                  + "\",\"purpose\":null,\"reference\":\""
                  + erasure.id()
                  + "\",\"occurred_at\":\""
                  + clock.instant()
                  + "\",\"recipient\":\"carrier\",\"request_type\":\"erasure\",\"confirm_by\":\""
                  + clock.instant().plus(Duration.ofDays(30))
                  + "\",\"confirm_path\":\"/v1/requests/"
                  + erasure.id()
                  + "/recipients/carrier/confirm\",\"purposes\":[\"order_fulfilment\"]}");
      assertThat(statuses(confirmations.of(tenant, erasure.id())))
          .containsEntry("carrier", "delivered")
          .containsEntry("payment_processor", "delivered")
          .containsEntry("tax_authority", "no_endpoint");
      assertThat(confirmations.of(tenant, erasure.id()).get(1).deliveredAt()).isNotNull();
      assertThat(confirmations.of("other-" + tenant, erasure.id())).isEmpty();

      // A second erasure of the same request is refused and tells nobody again.
      assertThatThrownBy(() -> requests.erase(erasure.id()))
          .isInstanceOf(ConsentException.class)
          .extracting(e -> ((ConsentException) e).kind())
          .isEqualTo(ConsentException.Kind.INVALID_TRANSITION);
      assertThat(count(db, "SELECT COUNT(*) FROM dsr_recipient_notices WHERE tenant = ?", tenant))
          .isEqualTo(5);
      assertThat(count(db, "SELECT COUNT(*) FROM webhook_outbox WHERE tenant = ?", tenant))
          .isEqualTo(3);
    } finally {
      receiver.stop(0);
    }
  }

  @DatabaseTest
  void aStepThatFails_queuesNothing(Database db) throws Exception {
    try (Webhooks webhooks = webhooks(db)) {
      String tenant = tenant();
      webhooks.register(
          tenant, URI.create("http://127.0.0.1:9/c"), NOTICES, GDPR.recipients().get("carrier"));
      webhooks.register(tenant, URI.create("http://127.0.0.1:9/h"), Set.of("subject.rectified"));
      DataSubjectRequests requests = DataSubjectRequests.open(db, c -> c.policy(GDPR));
      DataSubjectRequest rectification =
          requests.submit(tenant, "s-1", RequestType.RECTIFICATION, Regime.GDPR, true);
      // A row already there for the last recipient makes the step's last insert fail.
      try (Connection c = db.dataSource().getConnection();
          PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO dsr_recipient_notices (request_id, recipient, tenant, event_type,"
                      + " created_at, due_at) VALUES (?, 'tax_authority', ?, 'x', CURRENT_TIMESTAMP,"
                      + " CURRENT_TIMESTAMP)")) {
        s.setString(1, rectification.id());
        s.setString(2, tenant);
        s.executeUpdate();
      }

      assertThatThrownBy(() -> requests.fulfil(rectification.id(), "address corrected"))
          .isInstanceOf(RuntimeException.class);

      assertThat(requests.get(rectification.id()).orElseThrow().status())
          .isEqualTo(RequestStatus.OPEN);
      assertThat(count(db, "SELECT COUNT(*) FROM webhook_outbox WHERE tenant = ?", tenant))
          .as("neither the announcement nor any notice")
          .isZero();
      assertThat(count(db, "SELECT COUNT(*) FROM dsr_recipient_notices WHERE tenant = ?", tenant))
          .isEqualTo(1);
      // A refused step (identity not verified) queues nothing either.
      DataSubjectRequest unverified =
          requests.submit(tenant, "s-2", RequestType.RESTRICTION, Regime.GDPR, false);
      assertThatThrownBy(() -> requests.fulfil(unverified.id(), "x"))
          .isInstanceOf(ConsentException.class);
      assertThat(
              count(
                  db,
                  "SELECT COUNT(*) FROM dsr_recipient_notices WHERE request_id = ?",
                  unverified.id()))
          .isZero();
    }
  }

  @DatabaseTest
  void rectificationAndRestriction_tellTheRecipientsOfTheirPurposes_objectionTellsNoOne(Database db)
      throws Exception {
    try (Webhooks webhooks = webhooks(db)) {
      String tenant = tenant();
      Webhooks.Recipient carrier =
          webhooks.register(
              tenant,
              URI.create("http://127.0.0.1:9/c"),
              NOTICES,
              GDPR.recipients().get("carrier"));
      Webhooks.Recipient host =
          webhooks.register(
              tenant,
              URI.create("http://127.0.0.1:9/h"),
              Set.of("subject.rectified", "processing.restricted"));
      DataSubjectRequests requests = DataSubjectRequests.open(db, c -> c.policy(GDPR));
      RecipientConfirmations confirmations = RecipientConfirmations.open(db, requests);

      DataSubjectRequest rectification =
          requests.submit(tenant, "s-1", RequestType.RECTIFICATION, Regime.GDPR, true);
      requests.fulfil(rectification.id(), "address corrected");
      List<RecipientNotice> told = confirmations.of(tenant, rectification.id());
      assertThat(told)
          .extracting(RecipientNotice::recipient)
          .containsExactlyElementsOf(ALL_RECIPIENTS);
      assertThat(told).extracting(RecipientNotice::eventType).containsOnly("subject.rectified");
      assertThat(
              count(
                  db, "SELECT COUNT(*) FROM webhook_deliveries WHERE recipient_id = ?", host.id()))
          .as("the host hears of the rectification once")
          .isEqualTo(1);
      assertThat(
              count(
                  db,
                  "SELECT COUNT(*) FROM webhook_deliveries WHERE recipient_id = ?",
                  carrier.id()))
          .isEqualTo(1);

      DataSubjectRequest restriction =
          requests.submit(
              RequestIntake.of(tenant, "s-1", RequestType.RESTRICTION, Regime.GDPR, true)
                  .purposes(List.of("order_fulfilment", "fraud_prevention")));
      requests.fulfil(restriction.id(), "restricted");
      List<RecipientNotice> restricted = confirmations.of(tenant, restriction.id());
      assertThat(restricted)
          .extracting(RecipientNotice::recipient)
          .containsExactly("carrier", "payment_processor");
      assertThat(statuses(restricted))
          .containsEntry("carrier", "sent")
          .containsEntry("payment_processor", "no_endpoint");
      assertThat(restricted.get(0).purposes()).containsExactly("order_fulfilment");
      assertThat(
              count(
                  db,
                  "SELECT COUNT(*) FROM webhook_deliveries WHERE recipient_id = ?",
                  carrier.id()))
          .isEqualTo(2);
      assertThat(
              count(
                  db, "SELECT COUNT(*) FROM webhook_deliveries WHERE recipient_id = ?", host.id()))
          .as("one processing.restricted per purpose for the host, as before")
          .isEqualTo(3);

      DataSubjectRequest objection =
          requests.submit(
              RequestIntake.of(tenant, "s-1", RequestType.OBJECTION, Regime.GDPR, true)
                  .purposes(List.of("fraud_prevention")));
      requests.fulfil(objection.id(), "upheld");
      assertThat(confirmations.of(tenant, objection.id())).isEmpty();
      DataSubjectRequest access =
          requests.submit(tenant, "s-1", RequestType.ACCESS, Regime.GDPR, true);
      requests.fulfil(access.id(), "sent");
      assertThat(confirmations.of(tenant, access.id())).isEmpty();
    }
  }

  @DatabaseTest
  void confirmations_areBoundToTenantRequestAndRecipient_andOverdueAfterThePeriod(Database db)
      throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    DataSubjectRequests requests =
        DataSubjectRequests.open(
            db,
            c ->
                c.policy(GDPR).clock(clock).recipientConfirmation(Regime.DPDP, Duration.ofDays(7)));
    RecipientConfirmations confirmations = RecipientConfirmations.open(db, requests);
    String tenant = tenant();
    DataSubjectRequest gdpr =
        requests.submit(tenant, "s-1", RequestType.RECTIFICATION, Regime.GDPR, true);
    requests.fulfil(gdpr.id(), "corrected");
    DataSubjectRequest dpdp =
        requests.submit(tenant, "s-2", RequestType.RECTIFICATION, Regime.DPDP, true);
    requests.fulfil(dpdp.id(), "corrected");
    assertThat(confirmations.of(tenant, dpdp.id()).get(0).dueAt())
        .isEqualTo(Instant.parse("2026-03-08T10:00:00Z"));

    clock.advance(Duration.ofDays(1));
    RecipientNotice confirmed = confirmations.confirm(tenant, gdpr.id(), "carrier", "TICKET-42");
    assertThat(confirmed.status()).isEqualTo("confirmed");
    assertThat(confirmed.confirmedAt()).isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));
    assertThat(confirmed.reference()).isEqualTo("TICKET-42");
    assertThat(requests.history(gdpr.id()))
        .extracting(row -> row.get("note"))
        .contains("recipient carrier confirmed");

    // The same confirmation again is answered as it stands; another reference is refused.
    clock.advance(Duration.ofHours(1));
    assertThat(confirmations.confirm(tenant, gdpr.id(), "carrier", "TICKET-42"))
        .isEqualTo(confirmed);
    assertConsent(
        () -> confirmations.confirm(tenant, gdpr.id(), "carrier", "TICKET-43"),
        ConsentException.Kind.CONFLICT,
        "reference");
    // Another tenant, a recipient that was not told, a request that does not exist: not found.
    assertConsent(
        () -> confirmations.confirm("other-" + tenant, gdpr.id(), "carrier", "X"),
        ConsentException.Kind.NOT_FOUND,
        null);
    assertConsent(
        () -> confirmations.confirm(tenant, gdpr.id(), "nobody", "X"),
        ConsentException.Kind.NOT_FOUND,
        null);
    assertConsent(
        () -> confirmations.confirm(tenant, UUID.randomUUID().toString(), "carrier", "X"),
        ConsentException.Kind.NOT_FOUND,
        null);
    for (String bad : new String[] {null, " ", "a\nb", "x".repeat(257)}) {
      assertConsent(
          () -> confirmations.confirm(tenant, gdpr.id(), "ad_network", bad),
          ConsentException.Kind.INVALID_FIELD,
          "reference");
    }
    assertThat(confirmations.of(tenant, gdpr.id()))
        .filteredOn(n -> n.status().equals("confirmed"))
        .hasSize(1);

    // Overdue: the DPDP one after 7 days, the GDPR ones after 30; never a confirmed one.
    clock.advance(Duration.ofDays(6).minusHours(1)); // 2026-03-08T10:00Z, exactly due: not late
    assertThat(confirmations.overdueRequests(tenant)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(confirmations.overdueRequests(tenant)).containsExactly(dpdp.id());
    clock.advance(Duration.ofDays(23));
    assertThat(confirmations.overdueRequests(tenant)).containsExactly(dpdp.id(), gdpr.id());
    assertThat(confirmations.of(tenant, gdpr.id()))
        .extracting(n -> n.recipient() + "=" + n.overdue())
        .containsExactly(
            "ad_network=true",
            "carrier=false",
            "email_service=true",
            "payment_processor=true",
            "tax_authority=true");
    assertThat(confirmations.overdueRequests("other-" + tenant)).isEmpty();
    assertThat(confirmations.name("carrier")).isEqualTo("Example Parcel GmbH");
    assertThatThrownBy(
            () ->
                DataSubjectRequests.open(
                    db, c -> c.recipientConfirmation(Regime.GDPR, Duration.ofDays(91))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("recipientConfirmation must be 1 to 90 days, was PT2184H");
  }

  @DatabaseTest
  void aPolicyRecipientHasOneActiveWebhook_subscribedToEveryNoticeType(Database db)
      throws Exception {
    try (Webhooks webhooks = webhooks(db)) {
      String tenant = tenant();
      URI url = URI.create("http://127.0.0.1:9/c");
      assertConsent(
          () ->
              webhooks.register(
                  tenant,
                  url,
                  Set.of("subject.erased", "processing.restricted"),
                  GDPR.recipients().get("carrier")),
          ConsentException.Kind.INVALID_FIELD,
          "events");
      Webhooks.Recipient first =
          webhooks.register(tenant, url, NOTICES, GDPR.recipients().get("carrier"));
      assertConsent(
          () -> webhooks.register(tenant, url, NOTICES, GDPR.recipients().get("carrier")),
          ConsentException.Kind.CONFLICT,
          "policy_recipient");
      // Another tenant may link its own webhook to the same recipient of its policy.
      webhooks.register("other-" + tenant, url, NOTICES, GDPR.recipients().get("carrier"));
      assertThat(webhooks.remove(tenant, first.id())).isTrue();
      Webhooks.Recipient second =
          webhooks.register(tenant, url, NOTICES, GDPR.recipients().get("carrier"));
      assertThat(
              count(
                  db,
                  "SELECT COUNT(*) FROM webhook_policy_links WHERE webhook_id = ?",
                  second.id()))
          .isEqualTo(1);
      assertThat(count(db, "SELECT COUNT(*) FROM webhook_policy_links WHERE tenant = ?", tenant))
          .isEqualTo(1);
    }
  }

  private static void assertConsent(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
      ConsentException.Kind kind,
      String field) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ConsentException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(kind);
              assertThat(e.field()).isEqualTo(field);
            });
  }
}
