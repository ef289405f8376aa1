package dev.privacykit.javalin;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Settings of a {@link TokenVerifier}; checked when set, and together when the verifier is built.
 * Safe by default: RS256, PS256, ES256 and EdDSA only, audience required, 60 s of clock skew at
 * most, tokens living at most 24 h.
 */
public final class TokenVerifierConfig {
  final Map<String, IssuerConfig> issuers = new LinkedHashMap<>();
  Duration skew = Duration.ofSeconds(60);
  Duration maxLifetime = Duration.ofHours(24);
  String requiredType;
  int cacheSize = 10_000;
  byte[] hs256Secret;

  TokenVerifierConfig() {}

  /**
   * Trusts tokens whose {@code iss} is exactly {@code issuer}, with the given keys and audience.
   */
  public TokenVerifierConfig issuer(String issuer, Consumer<IssuerConfig> configure) {
    if (issuer == null || issuer.isBlank()) {
      throw new IllegalArgumentException("issuer must not be blank");
    }
    IssuerConfig config = new IssuerConfig(issuer);
    configure.accept(config);
    issuers.put(issuer, config);
    return this;
  }

  /** The clock skew allowed on {@code exp}, {@code nbf} and {@code iat}: 0 to 60 s. */
  public TokenVerifierConfig allowedSkew(Duration skew) {
    if (skew.isNegative() || skew.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new IllegalArgumentException("allowedSkew must be 0 to 60 s, was " + skew);
    }
    this.skew = skew;
    return this;
  }

  /** The longest {@code exp - iat} accepted: 1 min to 7 days; 24 h by default. */
  public TokenVerifierConfig maxLifetime(Duration lifetime) {
    if (lifetime.compareTo(Duration.ofMinutes(1)) < 0
        || lifetime.compareTo(Duration.ofDays(7)) > 0) {
      throw new IllegalArgumentException("maxLifetime must be 1 min to 7 days, was " + lifetime);
    }
    this.maxLifetime = lifetime;
    return this;
  }

  /** Requires the header {@code typ} (RFC 9068 access tokens: {@code at+jwt}). */
  public TokenVerifierConfig requireType(String type) {
    this.requiredType = Objects.requireNonNull(type, "type");
    return this;
  }

  /** How many verified tokens to remember until they expire (0 to 1,000,000). */
  public TokenVerifierConfig cacheSize(int size) {
    if (size < 0 || size > 1_000_000) {
      throw new IllegalArgumentException("cacheSize must be 0 to 1000000, was " + size);
    }
    this.cacheSize = size;
    return this;
  }

  /**
   * Accepts HS256 tokens signed with a shared secret (at least 32 bytes). Allowed only with exactly
   * one issuer: a shared secret cannot tell issuers apart.
   */
  public TokenVerifierConfig insecureHs256SingleIssuer(byte[] secret) {
    if (secret == null || secret.length < 32) {
      throw new IllegalArgumentException("an HS256 secret must be at least 32 bytes");
    }
    this.hs256Secret = secret.clone();
    return this;
  }

  /** One trusted issuer. */
  public static final class IssuerConfig {
    final String issuer;
    final List<String> audiences = new ArrayList<>();
    String jwksJson;
    Path jwksFile;
    URI jwksUrl;
    String tenantClaim = "tenant";
    java.util.Set<String> tenants;
    Duration jwksRefreshLimit = Duration.ofSeconds(30);

    IssuerConfig(String issuer) {
      this.issuer = issuer;
    }

    /** Accepted audiences ({@code aud} must contain one). Required. */
    public IssuerConfig audience(String... audiences) {
      for (String audience : audiences) {
        if (audience == null || audience.isBlank()) {
          throw new IllegalArgumentException("audience must not be blank");
        }
        this.audiences.add(audience);
      }
      return this;
    }

    /** The issuer's public keys as a JWK Set document. */
    public IssuerConfig jwks(String jwkSetJson) {
      this.jwksJson = Objects.requireNonNull(jwkSetJson, "jwkSetJson");
      return this;
    }

    /** The issuer's public keys from a JWK Set file. */
    public IssuerConfig jwksFile(Path file) {
      this.jwksFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * The issuer's JWKS URL: cached, refreshed ahead of expiry, rate limited, retried once, and
     * served from cache during an outage.
     */
    public IssuerConfig jwksUrl(URI url) {
      this.jwksUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    /**
     * The shortest time between two fetches of the JWKS URL (100 ms to 10 min; 30 s by default),
     * also when a token names a key the cache does not know.
     */
    public IssuerConfig jwksRefreshLimit(Duration interval) {
      if (interval.compareTo(Duration.ofMillis(100)) < 0
          || interval.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException(
            "jwksRefreshLimit must be 100 ms to 10 min, was " + interval);
      }
      this.jwksRefreshLimit = interval;
      return this;
    }

    /**
     * The tenants this issuer may assert: a token of this issuer naming any other tenant (or none)
     * is refused. Without this call an issuer may assert any tenant, which suits a single-issuer
     * app; with several issuers, bind each to its own tenants.
     */
    public IssuerConfig tenants(String... tenants) {
      java.util.Set<String> allowed = new java.util.HashSet<>();
      for (String tenant : tenants) {
        if (tenant == null || tenant.isBlank()) {
          throw new IllegalArgumentException("a tenant must not be blank");
        }
        allowed.add(tenant);
      }
      if (allowed.isEmpty()) {
        throw new IllegalArgumentException("tenants needs at least one tenant");
      }
      this.tenants = allowed;
      return this;
    }

    /** The claim that names the tenant; {@code tenant} by default. */
    public IssuerConfig tenantClaim(String claim) {
      this.tenantClaim = Objects.requireNonNull(claim, "claim");
      return this;
    }
  }
}
