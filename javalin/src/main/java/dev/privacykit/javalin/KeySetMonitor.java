package dev.privacykit.javalin;

import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URL;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fetches one issuer's JWKS URL (Nimbus's default timeouts and size limit) and remembers how each
 * fetch went. It sits below Nimbus's cache, retry and outage tolerance, so it sees every real
 * fetch, including the failures those layers hide. Thread-safe.
 */
final class KeySetMonitor implements ResourceRetriever {
  private final String issuer;
  private final boolean remote;
  private final ResourceRetriever http =
      new DefaultResourceRetriever(
          JWKSourceBuilder.DEFAULT_HTTP_CONNECT_TIMEOUT,
          JWKSourceBuilder.DEFAULT_HTTP_READ_TIMEOUT,
          JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT);
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean healthy = true;
  private volatile Instant lastFetch;

  KeySetMonitor(String issuer, boolean remote) {
    this.issuer = issuer;
    this.remote = remote;
  }

  @Override
  public Resource retrieveResource(URL url) throws IOException {
    try {
      Resource resource = http.retrieveResource(url);
      healthy = true;
      return resource;
    } catch (IOException | RuntimeException e) {
      failures.incrementAndGet();
      healthy = false;
      throw e;
    } finally {
      lastFetch = Instant.now();
    }
  }

  KeySetHealth snapshot() {
    return new KeySetHealth(issuer, remote, healthy, failures.get(), lastFetch);
  }
}
