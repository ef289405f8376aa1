package dev.privacykit.javalin.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A token issuer for tests of apps that use PrivacyKit: it serves its JWKS on a loopback port and
 * mints valid and deliberately broken RS256 tokens. Register it as a JUnit 5 extension:
 *
 * <pre>{@code
 * @RegisterExtension static TestIssuer issuer = new TestIssuer("orders-api");
 * // privacy.tokens(t -> t.issuer(issuer.issuer(), i -> i.jwksUrl(issuer.jwksUri()).audience("orders-api")))
 * String token = issuer.token("subj_1", "acme", "orders:read");
 * }</pre>
 *
 * <p>Thread-safe. Its keys are made when it starts and never written anywhere.
 */
public final class TestIssuer implements BeforeAllCallback, AfterAllCallback {
  private final String audience;
  private volatile KeyPair key;
  private volatile String keyId;
  private volatile boolean jwksAvailable = true;
  private volatile int jwksRequests;
  private HttpServer server;

  /** An issuer whose tokens are for {@code audience}. */
  public TestIssuer(String audience) {
    this.audience = audience;
    rotateKey();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  /** Starts serving the JWKS (the extension does this before the test class). */
  public synchronized void start() throws IOException {
    if (server != null) {
      return;
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/.well-known/jwks.json",
        exchange -> {
          jwksRequests++;
          byte[] body = jwks().getBytes(StandardCharsets.UTF_8);
          if (!jwksAvailable) {
            exchange.sendResponseHeaders(503, -1);
          } else {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.start();
  }

  /** Stops serving. */
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  /** The issuer identifier ({@code iss}): this server's base URL. */
  public String issuer() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Where the JWKS is served. */
  public URI jwksUri() {
    return URI.create(issuer() + "/.well-known/jwks.json");
  }

  /** The audience tokens are minted for. */
  public String audience() {
    return audience;
  }

  /** How many times the JWKS was fetched. */
  public int jwksRequests() {
    return jwksRequests;
  }

  /** The JWKS document (public key only). */
  public String jwks() {
    return new JWKSet(new RSAKey.Builder((RSAPublicKey) key.getPublic()).keyID(keyId).build())
        .toString();
  }

  /**
   * Replaces the signing key with a new one under a new key id; the old one is no longer served.
   */
  public synchronized void rotateKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      key = generator.generateKeyPair();
      keyId = "test-" + UUID.randomUUID().toString().substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Makes the JWKS endpoint answer 503 (or answer again). */
  public void jwksAvailable(boolean available) {
    this.jwksAvailable = available;
  }

  /** A valid token for {@code subject} in {@code tenant} with these scopes, for five minutes. */
  public String token(String subject, String tenant, String... scopes) {
    return sign(claims(subject, tenant, scopes).build(), key, keyId);
  }

  /** A token that expired a minute ago (lived five minutes). */
  public String expiredToken(String subject, String tenant, String... scopes) {
    Instant now = Instant.now();
    return sign(
        claims(subject, tenant, scopes)
            .issueTime(Date.from(now.minusSeconds(360)))
            .expirationTime(Date.from(now.minusSeconds(60)))
            .build(),
        key,
        keyId);
  }

  /** A token with this issuer's key id but signed by another key. */
  public String forgedToken(String subject, String tenant, String... scopes) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return sign(claims(subject, tenant, scopes).build(), generator.generateKeyPair(), keyId);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A valid token with extra or replaced claims. */
  public String tokenWith(String subject, String tenant, Map<String, Object> claims) {
    JWTClaimsSet.Builder builder = claims(subject, tenant);
    claims.forEach(builder::claim);
    return sign(builder.build(), key, keyId);
  }

  private JWTClaimsSet.Builder claims(String subject, String tenant, String... scopes) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder builder =
        new JWTClaimsSet.Builder()
            .issuer(issuer())
            .subject(subject)
            .audience(audience)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
            .jwtID(UUID.randomUUID().toString());
    if (tenant != null) {
      builder.claim("tenant", tenant);
    }
    if (scopes.length > 0) {
      builder.claim("scope", String.join(" ", scopes));
    }
    return builder;
  }

  private static String sign(JWTClaimsSet claims, KeyPair pair, String kid) {
    try {
      SignedJWT jwt =
          new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims);
      jwt.sign(new RSASSASigner(pair.getPrivate()));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
