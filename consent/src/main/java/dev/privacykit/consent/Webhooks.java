package dev.privacykit.consent;

import dev.privacykit.crypto.FieldCipher;
import dev.privacykit.crypto.FieldContext;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Jdbi;

/**
 * Tells host backends of withdrawals, erasures and restrictions: events from the transactional
 * outbox are POSTed as JSON to each subscribed recipient, signed with the recipient's secret, and
 * retried with exponential backoff (1 min, 2 min, 4 min … capped at 4 h) until delivered or given
 * up; each delivery's status is kept.
 *
 * <p>Signature header, as Stripe's: {@code PrivacyKit-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256(secret, t + "." + body)>}. Receivers check it with {@link #verifySignature} (or the
 * same few lines in any language) and reject timestamps older than five minutes.
 *
 * <p>Deliveries run concurrently: at most {@link WebhooksConfig#concurrency} at once, at most
 * {@link WebhooksConfig#perTenantInFlight} of one tenant, and each due round takes tenants in turn,
 * so one tenant's silent receivers cannot delay another tenant's withdrawal notices. Each attempt
 * ends within the configured timeout, a receiver that trickles its answer included.
 *
 * <p>Thread-safe. {@link #close()} stops the delivery threads.
 */
public final class Webhooks implements AutoCloseable {
  private static final Duration FIRST_RETRY = Duration.ofMinutes(1);
  private static final Duration MAX_RETRY = Duration.ofHours(4);

  private final Jdbi jdbi;
  private final WebhooksConfig config;
  private final FieldCipher secrets;
  private final HttpClient http;
  private final ExecutorService pool;
  private final Semaphore slots;
  private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

  private Webhooks(Database database, WebhooksConfig config) {
    this.jdbi = Jdbis.of(database);
    this.config = config;
    this.secrets = FieldCipher.randomized(config.keyring);
    AtomicInteger threads = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            config.concurrency,
            task -> {
              Thread thread = new Thread(task, "privacykit-webhook-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.slots = new Semaphore(config.concurrency);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Opens webhooks on a migrated database. */
  public static Webhooks open(Database database, Consumer<WebhooksConfig> configure) {
    WebhooksConfig config = new WebhooksConfig();
    configure.accept(config);
    if (config.keyring == null) {
      throw new IllegalArgumentException("webhooks need a keyring for recipient secrets");
    }
    return new Webhooks(database, config);
  }

  /** A registered recipient; the secret is shown here once and stored only encrypted. */
  public record Recipient(String id, String tenant, URI url, Set<String> events, String secret) {}

  /**
   * Registers a recipient for some of the event types ({@code consent.withdrawn}, {@code
   * subject.erased}, {@code subject.rectified}, {@code processing.restricted}, {@code
   * breach.notice} ...).
   *
   * @throws ConsentException {@code invalid-field} for a URL that is not HTTPS (unless allowed) or
   *     an unknown event type
   */
  public Recipient register(String tenant, URI url, Set<String> events)
      throws GeneralSecurityException {
    return register(tenant, url, events, null);
  }

  /**
   * Registers the webhook of a recipient of the policy ({@code standsFor}, or none when null): it
   * must subscribe to {@code subject.erased}, {@code subject.rectified} and {@code
   * processing.restricted}, which it then gets only as the notices of the requests whose purposes
   * disclose data to it (GDPR Art. 19). One active webhook per tenant and policy recipient.
   *
   * @throws ConsentException as the other overload; {@code invalid-field} naming {@code events}
   *     when one of those types is missing; {@code conflict} naming {@code policy_recipient} when
   *     an active webhook already stands for it
   */
  public Recipient register(
      String tenant, URI url, Set<String> events, dev.privacykit.policies.Recipient standsFor)
      throws GeneralSecurityException {
    WebhookTargets.checkRegistration(url, events, config, standsFor != null);
    if (activeRecipients(tenant) >= config.maxRecipientsPerTenant) {
      throw new ConsentException(
          ConsentException.Kind.LIMIT_REACHED,
          "this tenant has "
              + config.maxRecipientsPerTenant
              + " active recipients, the most it may have; remove one first");
    }
    String id = UUID.randomUUID().toString();
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    String secret = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    String ciphertext = secrets.encryptToString(secret, secretContext(tenant, id));
    jdbi.useTransaction(
        h -> {
          h.createUpdate(
                  "INSERT INTO webhook_recipients (id, tenant, url, events, secret_ciphertext, active, created_at)"
                      + " VALUES (:id, :t, :u, :e, :s, TRUE, :at)")
              .bind("id", id)
              .bind("t", tenant)
              .bind("u", url.toString())
              .bind("e", String.join(",", new java.util.TreeSet<>(events)))
              .bind("s", ciphertext)
              .bind("at", OffsetDateTime.now(config.clock))
              .execute();
          if (standsFor != null) {
            RecipientLinks.link(h, tenant, standsFor.id(), id);
          }
        });
    return new Recipient(id, tenant, url, Set.copyOf(events), secret);
  }

  private long activeRecipients(String tenant) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT COUNT(*) FROM webhook_recipients WHERE tenant = :t AND active")
                .bind("t", tenant)
                .mapTo(Long.class)
                .one());
  }

  /**
   * Removes a tenant's recipient: it gets no new events, and its pending deliveries are not
   * attempted again. Returns whether the tenant had such an active recipient.
   */
  public boolean remove(String tenant, String recipientId) {
    return jdbi.withHandle(
            h ->
                h.createUpdate(
                        "UPDATE webhook_recipients SET active = FALSE"
                            + " WHERE id = :id AND tenant = :t AND active")
                    .bind("id", recipientId)
                    .bind("t", tenant)
                    .execute())
        == 1;
  }

  /** The deliveries of a tenant's events, newest event first (at most 500). */
  public List<WebhookDelivery> deliveries(String tenant) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT d.*, o.type FROM webhook_deliveries d JOIN webhook_outbox o ON o.id = d.outbox_id"
                        + " WHERE o.tenant = :t ORDER BY o.created_at DESC, d.recipient_id LIMIT 500")
                .bind("t", tenant)
                .map(
                    (rs, ctx) ->
                        new WebhookDelivery(
                            rs.getString("outbox_id"),
                            rs.getString("type"),
                            rs.getString("recipient_id"),
                            rs.getString("status"),
                            rs.getInt("attempts"),
                            instant(rs.getObject("next_attempt_at", OffsetDateTime.class)),
                            (Integer) rs.getObject("last_status"),
                            rs.getString("last_error"),
                            instant(rs.getObject("delivered_at", OffsetDateTime.class))))
                .list());
  }

  /**
   * Attempts the deliveries that are due now, once each, within the concurrency limits, and waits
   * for them; returns how many were delivered.
   */
  public int dispatchDue() {
    int delivered = 0;
    for (CompletableFuture<Boolean> attempt : startDue(config.clock.instant())) {
      if (attempt.join()) {
        delivered++;
      }
    }
    return delivered;
  }

  /**
   * Starts the deliveries that are due now, within the concurrency limits, without waiting for
   * them; returns how many it started. Run it from a scheduler (the standalone service does, every
   * second): deliveries still in flight from an earlier call keep their slots and are not started
   * again, so a slow receiver delays no one else.
   */
  public int startDue() {
    return startDue(config.clock.instant()).size();
  }

  private List<CompletableFuture<Boolean>> startDue(Instant clockNow) {
    Instant now = clockNow.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    List<CompletableFuture<Boolean>> started = new ArrayList<>();
    for (Map<String, Object> d : due(now)) {
      String tenant = (String) d.get("tenant");
      AtomicInteger tenantCount = inFlight.computeIfAbsent(tenant, t -> new AtomicInteger());
      if (tenantCount.incrementAndGet() > config.perTenantInFlight) {
        tenantCount.decrementAndGet();
        continue;
      }
      if (!slots.tryAcquire()) {
        tenantCount.decrementAndGet();
        break;
      }
      Runnable release =
          () -> {
            tenantCount.decrementAndGet();
            slots.release();
          };
      if (!claim(d, now)) {
        release.run();
        continue;
      }
      try {
        started.add(
            CompletableFuture.supplyAsync(() -> attempt(d, now), pool)
                .whenComplete((ok, error) -> release.run()));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        release.run(); // closed: the claim lapses and another process (or the next start) retries
      }
    }
    return started;
  }

  /**
   * Due deliveries of active recipients, tenants taken in turn: each tenant's oldest first, at most
   * its in-flight share of them, then each tenant's second, and so on.
   */
  private List<Map<String, Object>> due(Instant now) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM (SELECT d.outbox_id, d.recipient_id, d.attempts, o.tenant,"
                        + " o.type, o.payload, r.url, r.secret_ciphertext, d.next_attempt_at,"
                        + " ROW_NUMBER() OVER (PARTITION BY o.tenant ORDER BY d.next_attempt_at,"
                        + " d.outbox_id, d.recipient_id) AS tenant_rank"
                        + " FROM webhook_deliveries d"
                        + " JOIN webhook_outbox o ON o.id = d.outbox_id"
                        + " JOIN webhook_recipients r ON r.id = d.recipient_id"
                        + " WHERE d.status = 'PENDING' AND d.next_attempt_at <= :now AND r.active)"
                        + " due WHERE tenant_rank <= :share"
                        + " ORDER BY tenant_rank, next_attempt_at LIMIT :limit")
                .bind("now", now.atOffset(ZoneOffset.UTC))
                .bind("share", config.perTenantInFlight)
                .bind("limit", config.concurrency * 4)
                .mapToMap()
                .list());
  }

  /**
   * Pushes the next attempt past this one, so another process does not send it at the same time.
   */
  private boolean claim(Map<String, Object> d, Instant now) {
    return jdbi.withHandle(
            h ->
                h.createUpdate(
                        "UPDATE webhook_deliveries SET next_attempt_at = :lease WHERE outbox_id = :o"
                            + " AND recipient_id = :r AND status = 'PENDING' AND attempts = :a")
                    .bind(
                        "lease", now.plus(config.timeout.multipliedBy(2)).atOffset(ZoneOffset.UTC))
                    .bind("o", d.get("outbox_id"))
                    .bind("r", d.get("recipient_id"))
                    .bind("a", d.get("attempts"))
                    .execute())
        == 1;
  }

  private boolean attempt(Map<String, Object> d, Instant now) {
    String body = (String) d.get("payload");
    Integer status = null;
    String error = null;
    try {
      String secret =
          secrets.decryptString(
              (String) d.get("secret_ciphertext"),
              secretContext((String) d.get("tenant"), (String) d.get("recipient_id")));
      long t = now.getEpochSecond();
      URI url = URI.create((String) d.get("url"));
      // Again at delivery: the name may resolve elsewhere now than at registration.
      WebhookTargets.check(url, config.allowPrivateTargets);
      HttpRequest request =
          HttpRequest.newBuilder(url)
              .timeout(config.timeout)
              .header("Content-Type", "application/json")
              .header("PrivacyKit-Event-Id", (String) d.get("outbox_id"))
              .header("PrivacyKit-Event-Type", (String) d.get("type"))
              .header("PrivacyKit-Signature", "t=" + t + ",v1=" + hmac(secret, t + "." + body))
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
              .build();
      status = send(request);
    } catch (GeneralSecurityException e) {
      error = "secret unreadable";
    } catch (ConsentException e) {
      error = "unreachable"; // the target resolves to an address the service may not call
    } catch (java.net.http.HttpTimeoutException e) {
      error = "timeout";
    } catch (javax.net.ssl.SSLException e) {
      error = "tls";
    } catch (java.io.IOException e) {
      // A tenant sees only the kind of failure, never exception names or messages.
      error = e.getCause() instanceof javax.net.ssl.SSLException ? "tls" : "unreachable";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = "interrupted";
    }
    int attempts = ((Number) d.get("attempts")).intValue() + 1;
    boolean ok = status != null && status >= 200 && status < 300;
    String next = ok ? "DELIVERED" : attempts >= config.maxAttempts ? "FAILED" : "PENDING";
    Duration backoff = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 20));
    Instant nextAt = now.plus(backoff.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : backoff);
    Integer lastStatus = status;
    String lastError = error;
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE webhook_deliveries SET status = :s, attempts = :a, next_attempt_at = :n, last_status = :ls,"
                        + " last_error = :le, delivered_at = :da WHERE outbox_id = :o AND recipient_id = :r")
                .bind("s", next)
                .bind("a", attempts)
                .bind("n", nextAt.atOffset(ZoneOffset.UTC))
                .bind("ls", lastStatus)
                .bind("le", lastError)
                .bind("da", ok ? now.atOffset(ZoneOffset.UTC) : null)
                .bind("o", d.get("outbox_id"))
                .bind("r", d.get("recipient_id"))
                .execute());
    return ok;
  }

  /**
   * Sends and waits at most the timeout for the whole answer: a receiver that trickles its body
   * cannot hold a delivery slot past it.
   */
  private int send(HttpRequest request) throws java.io.IOException, InterruptedException {
    CompletableFuture<HttpResponse<Void>> response =
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    try {
      return response.get(config.timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
    } catch (java.util.concurrent.TimeoutException e) {
      response.cancel(true);
      throw new java.net.http.HttpTimeoutException("timed out");
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof java.io.IOException io) {
        throw io;
      }
      throw new java.io.IOException("delivery failed", e.getCause());
    } catch (InterruptedException e) {
      response.cancel(true);
      throw e;
    }
  }

  /** Stops the delivery threads; attempts in flight are abandoned and retried after their lease. */
  @Override
  public void close() {
    pool.shutdownNow();
  }

  /**
   * Checks a {@code PrivacyKit-Signature} header against the body a receiver got: the HMAC must
   * match and the timestamp be within {@code tolerance} of {@code now}.
   */
  public static boolean verifySignature(
      String secret, String header, String body, Instant now, Duration tolerance) {
    if (header == null) {
      return false;
    }
    String t = null;
    String v1 = null;
    for (String part : header.split(",")) {
      if (part.startsWith("t=")) {
        t = part.substring(2);
      } else if (part.startsWith("v1=")) {
        v1 = part.substring(3);
      }
    }
    if (t == null || v1 == null) {
      return false;
    }
    try {
      long seconds = Long.parseLong(t);
      if (Math.abs(now.getEpochSecond() - seconds) > tolerance.getSeconds()) {
        return false;
      }
      return MessageDigest.isEqual(
          hmac(secret, t + "." + body).getBytes(StandardCharsets.US_ASCII),
          v1.getBytes(StandardCharsets.US_ASCII));
    } catch (NumberFormatException | GeneralSecurityException e) {
      return false;
    }
  }

  private static String hmac(String secret, String data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
  }

  private static FieldContext secretContext(String tenant, String recipientId) {
    return FieldContext.of(tenant, "webhook_recipients", "secret", recipientId);
  }

  private static Instant instant(OffsetDateTime value) {
    return value == null ? null : value.toInstant();
  }
}
