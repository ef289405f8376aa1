package dev.privacykit.consent;

import dev.privacykit.crypto.Keyring;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** Settings of {@link Webhooks}; checked when set. */
public final class WebhooksConfig {
  Keyring keyring;
  Clock clock = Clock.systemUTC();
  int maxAttempts = 10;
  Duration timeout = Duration.ofSeconds(10);
  boolean allowPlainHttp;
  boolean allowPrivateTargets;
  int concurrency = 16;
  int perTenantInFlight = 4;
  int maxRecipientsPerTenant = 25;

  WebhooksConfig() {}

  /** The keyring recipient secrets are encrypted under. Required. */
  public WebhooksConfig keyring(Keyring keyring) {
    this.keyring = Objects.requireNonNull(keyring, "keyring");
    return this;
  }

  /** The clock retries are scheduled with. */
  public WebhooksConfig clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Attempts before a delivery is given up as FAILED (1 to 50; 10 by default, about 17 hours). */
  public WebhooksConfig maxAttempts(int attempts) {
    if (attempts < 1 || attempts > 50) {
      throw new IllegalArgumentException("maxAttempts must be 1 to 50, was " + attempts);
    }
    this.maxAttempts = attempts;
    return this;
  }

  /** How long one delivery may take (1 to 60 s; 10 s by default). */
  public WebhooksConfig timeout(Duration timeout) {
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0
        || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new IllegalArgumentException("timeout must be 1 to 60 s, was " + timeout);
    }
    this.timeout = timeout;
    return this;
  }

  /** Deliveries in flight at once, all tenants together (1 to 256; 16 by default). */
  public WebhooksConfig concurrency(int deliveries) {
    if (deliveries < 1 || deliveries > 256) {
      throw new IllegalArgumentException("concurrency must be 1 to 256, was " + deliveries);
    }
    this.concurrency = deliveries;
    return this;
  }

  /**
   * Deliveries of one tenant in flight at once (1 to 64; 4 by default), so one tenant's slow or
   * silent receivers cannot take every delivery slot and delay other tenants' notices.
   */
  public WebhooksConfig perTenantInFlight(int deliveries) {
    if (deliveries < 1 || deliveries > 64) {
      throw new IllegalArgumentException("perTenantInFlight must be 1 to 64, was " + deliveries);
    }
    this.perTenantInFlight = deliveries;
    return this;
  }

  /** Active recipients one tenant may register (1 to 1000; 25 by default). */
  public WebhooksConfig maxRecipientsPerTenant(int recipients) {
    if (recipients < 1 || recipients > 1000) {
      throw new IllegalArgumentException(
          "maxRecipientsPerTenant must be 1 to 1000, was " + recipients);
    }
    this.maxRecipientsPerTenant = recipients;
    return this;
  }

  /**
   * Allows recipients on loopback, private and other non-public addresses (tests, development on
   * one machine). Without it such URLs are refused at registration and at every delivery, so a
   * tenant cannot make the service call into its own network.
   */
  public WebhooksConfig insecureAllowPrivateTargets() {
    this.allowPrivateTargets = true;
    return this;
  }

  /** Allows {@code http://} recipient URLs (for loopback tests); HTTPS is required otherwise. */
  public WebhooksConfig insecureAllowPlainHttp() {
    this.allowPlainHttp = true;
    return this;
  }
}
