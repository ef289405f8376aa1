package dev.privacykit.javalin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Verifies bearer JWTs (RFC 7519, RFC 8725, RFC 9068) from trusted issuers and returns the {@link
 * Principal}. Before Nimbus checks the signature and the claims, the token's header and payload are
 * read strictly: duplicate JSON keys, {@code alg: none} or an algorithm off the allowlist, {@code
 * jku}/{@code x5u}/{@code jwk}/{@code x5c}/{@code crit} headers, encrypted tokens, oversized
 * headers, non-string {@code iss}/{@code sub} and unknown issuers are refused. {@code exp}, {@code
 * iat}, {@code iss}, {@code sub} and {@code aud} are required; {@code iat} may not be in the future
 * and {@code exp - iat} may not exceed the configured lifetime. The issuer's keys are chosen by
 * {@code iss} from the allowlist only. Verified tokens are remembered (keyed by SHA-256 of the
 * token) until they expire.
 *
 * <p>Thread-safe.
 */
public final class TokenVerifier {
  private static final int MAX_TOKEN_CHARS = 8_192;
  private static final int MAX_HEADER_BYTES = 1_024;

  /** The largest NumericDate accepted: the year 9999, well inside a double's exact integers. */
  private static final double MAX_NUMERIC_DATE = 253_402_300_799d;

  private static final Set<JWSAlgorithm> ASYMMETRIC =
      Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);
  private static final List<String> FORBIDDEN_HEADERS = List.of("jku", "x5u", "jwk", "x5c", "crit");
  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private record Issuer(
      String name,
      DefaultJWTProcessor<SecurityContext> processor,
      String tenantClaim,
      Set<String> tenants,
      KeySetMonitor keys) {}

  private final Map<String, Issuer> issuers;
  private final Set<String> algorithms;
  private final Duration skew;
  private final Duration maxLifetime;
  private final String requiredType;
  private final int cacheSize;
  private final ConcurrentHashMap<String, Principal> cache = new ConcurrentHashMap<>();

  private TokenVerifier(
      TokenVerifierConfig config, Map<String, Issuer> issuers, Set<String> algorithms) {
    this.issuers = Map.copyOf(issuers);
    this.algorithms = Set.copyOf(algorithms);
    this.skew = config.skew;
    this.maxLifetime = config.maxLifetime;
    this.requiredType = config.requiredType;
    this.cacheSize = config.cacheSize;
  }

  /**
   * Builds a verifier.
   *
   * @throws IllegalArgumentException if no issuer is configured, an issuer lacks keys or an
   *     audience, or HS256 is combined with more than one issuer
   */
  public static TokenVerifier create(Consumer<TokenVerifierConfig> configure) {
    TokenVerifierConfig config = new TokenVerifierConfig();
    configure.accept(config);
    if (config.issuers.isEmpty()) {
      throw new IllegalArgumentException("at least one trusted issuer is required");
    }
    if (config.hs256Secret != null && config.issuers.size() != 1) {
      throw new IllegalArgumentException("HS256 is allowed only with exactly one issuer");
    }
    Set<JWSAlgorithm> allowed =
        config.hs256Secret != null ? Set.of(JWSAlgorithm.HS256) : ASYMMETRIC;
    Map<String, Issuer> issuers = new LinkedHashMap<>();
    for (TokenVerifierConfig.IssuerConfig issuer : config.issuers.values()) {
      if (issuer.audiences.isEmpty()) {
        throw new IllegalArgumentException("issuer " + issuer.issuer + " needs an audience");
      }
      KeySetMonitor monitor = new KeySetMonitor(issuer.issuer, issuer.jwksUrl != null);
      JWKSource<SecurityContext> keys =
          config.hs256Secret != null
              ? new ImmutableSecret<>(config.hs256Secret)
              : keys(issuer, monitor);
      DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
      processor.setJWSTypeVerifier(
          config.requiredType != null
              ? new DefaultJOSEObjectTypeVerifier<>(
                  new JOSEObjectType(config.requiredType),
                  new JOSEObjectType("application/" + config.requiredType))
              : new DefaultJOSEObjectTypeVerifier<>(
                  JOSEObjectType.JWT,
                  new JOSEObjectType("at+jwt"),
                  new JOSEObjectType("application/at+jwt"),
                  null));
      if (config.hs256Secret != null) {
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(allowed, keys));
      } else {
        processor.setJWSKeySelector(EdDsaSupport.keySelector(ASYMMETRIC, keys));
        processor.setJWSVerifierFactory(EdDsaSupport.verifiers());
      }
      DefaultJWTClaimsVerifier<SecurityContext> claims =
          new DefaultJWTClaimsVerifier<>(
              new HashSet<>(issuer.audiences),
              new JWTClaimsSet.Builder().issuer(issuer.issuer).build(),
              Set.of("exp", "iat", "iss", "sub", "aud"),
              Set.of());
      claims.setMaxClockSkew((int) config.skew.getSeconds());
      processor.setJWTClaimsSetVerifier(claims);
      issuers.put(
          issuer.issuer,
          new Issuer(
              issuer.issuer,
              processor,
              issuer.tenantClaim,
              issuer.tenants == null ? null : Set.copyOf(issuer.tenants),
              monitor));
    }
    Set<String> names = new HashSet<>();
    allowed.forEach(a -> names.add(a.getName()));
    if (config.hs256Secret == null) {
      names.add(JWSAlgorithm.EdDSA.getName());
    }
    return new TokenVerifier(config, issuers, names);
  }

  private static JWKSource<SecurityContext> keys(
      TokenVerifierConfig.IssuerConfig issuer, KeySetMonitor monitor) {
    try {
      if (issuer.jwksJson != null) {
        return new ImmutableJWKSet<>(JWKSet.parse(issuer.jwksJson));
      }
      if (issuer.jwksFile != null) {
        return new ImmutableJWKSet<>(
            JWKSet.parse(Files.readString(issuer.jwksFile, StandardCharsets.UTF_8)));
      }
      if (issuer.jwksUrl != null) {
        return JWKSourceBuilder.<SecurityContext>create(issuer.jwksUrl.toURL(), monitor)
            .cache(true)
            .refreshAheadCache(true)
            .rateLimited(issuer.jwksRefreshLimit.toMillis())
            .retrying(true)
            .outageTolerant(true)
            .build();
      }
    } catch (java.text.ParseException | java.io.IOException e) {
      throw new IllegalArgumentException(
          "the keys of issuer "
              + issuer.issuer
              + " cannot be read: "
              + e.getClass().getSimpleName());
    }
    throw new IllegalArgumentException(
        "issuer " + issuer.issuer + " needs keys: jwks, jwksFile or jwksUrl");
  }

  /** How each trusted issuer's keys are doing, in configuration order. */
  public List<KeySetHealth> keysHealth() {
    return issuers.values().stream().map(i -> i.keys().snapshot()).toList();
  }

  /**
   * Verifies a compact JWT and returns whom it speaks for.
   *
   * @throws TokenRejectedException with a reason that is safe to return to the client
   */
  public Principal verify(String token) {
    if (token == null || token.isBlank()) {
      throw new TokenRejectedException("missing token");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new TokenRejectedException("token too large");
    }
    String key = fingerprint(token);
    Principal cached = cache.get(key);
    if (cached != null && Instant.now().isBefore(cached.expiresAt())) {
      return cached;
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length == 5) {
      throw new TokenRejectedException("encrypted tokens are not accepted");
    }
    if (parts.length != 3 || parts[2].isEmpty()) {
      throw new TokenRejectedException("malformed token");
    }
    JsonNode header = json(parts[0], MAX_HEADER_BYTES, "malformed token header");
    JsonNode alg = header.get("alg");
    if (alg == null || !alg.isTextual() || !algorithms.contains(alg.asText())) {
      throw new TokenRejectedException("algorithm not allowed");
    }
    for (String forbidden : FORBIDDEN_HEADERS) {
      if (header.has(forbidden)) {
        throw new TokenRejectedException("token header parameter not allowed: " + forbidden);
      }
    }
    if (requiredType != null) {
      JsonNode typ = header.get("typ");
      if (typ == null
          || !typ.isTextual()
          || !(typ.asText().equalsIgnoreCase(requiredType)
              || typ.asText().equalsIgnoreCase("application/" + requiredType))) {
        throw new TokenRejectedException("wrong token type");
      }
    }
    JsonNode claims = json(parts[1], MAX_TOKEN_CHARS, "malformed token claims");
    JsonNode iss = claims.get("iss");
    if (iss == null || !iss.isTextual()) {
      throw new TokenRejectedException("missing or invalid iss");
    }
    Issuer issuer = issuers.get(iss.asText());
    if (issuer == null) {
      throw new TokenRejectedException("issuer not trusted");
    }
    JsonNode sub = claims.get("sub");
    if (sub == null || !sub.isTextual() || sub.asText().isBlank()) {
      throw new TokenRejectedException("missing or invalid sub");
    }
    // NumericDate claims (RFC 7519 §2): exp and iat required, nbf optional; null, strings, arrays,
    // objects and numbers out of range are refused here, before any library reads them.
    numericDate(claims, "exp", true);
    numericDate(claims, "iat", true);
    numericDate(claims, "nbf", false);
    JWTClaimsSet set;
    try {
      set = issuer.processor().process(SignedJWT.parse(token), null);
    } catch (java.text.ParseException e) {
      throw new TokenRejectedException("malformed token");
    } catch (BadJWTException e) {
      throw new TokenRejectedException(claimsReason(e.getMessage()));
    } catch (BadJOSEException e) {
      String message = String.valueOf(e.getMessage());
      throw new TokenRejectedException(
          message.startsWith("Signed JWT rejected: Another algorithm expected")
                  || message.contains("No matching key")
              ? "no trusted key matches the token"
              : message.contains("type") ? "wrong token type" : "signature invalid");
    } catch (com.nimbusds.jose.KeySourceException e) {
      throw new TokenRejectedException("the issuer's keys are unavailable");
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new TokenRejectedException("signature invalid");
    } catch (RuntimeException e) {
      throw new TokenRejectedException("token invalid");
    }
    Instant now = Instant.now();
    Instant issuedAt = set.getIssueTime().toInstant();
    Instant expires = set.getExpirationTime().toInstant();
    if (issuedAt.isAfter(now.plus(skew))) {
      throw new TokenRejectedException("token issued in the future");
    }
    if (Duration.between(issuedAt, expires).compareTo(maxLifetime) > 0) {
      throw new TokenRejectedException("token lifetime too long");
    }
    JsonNode tenant = claims.get(issuer.tenantClaim());
    if (tenant != null && !tenant.isTextual()) {
      throw new TokenRejectedException("invalid tenant claim");
    }
    if (issuer.tenants() != null
        && (tenant == null || !issuer.tenants().contains(tenant.asText()))) {
      throw new TokenRejectedException("tenant not allowed for this issuer");
    }
    Principal principal =
        new Principal(
            issuer.name(),
            sub.asText(),
            tenant == null ? null : tenant.asText(),
            scopes(claims),
            expires);
    if (cacheSize > 0) {
      if (cache.size() >= cacheSize) {
        cache.clear();
      }
      cache.put(key, principal);
    }
    return principal;
  }

  /** Refuses a NumericDate claim that is missing (when required) or not a number in range. */
  private static void numericDate(JsonNode claims, String name, boolean required) {
    if (!claims.has(name)) {
      if (required) {
        throw new TokenRejectedException("missing required claims");
      }
      return;
    }
    JsonNode value = claims.get(name);
    if (!value.isNumber()
        || !Double.isFinite(value.asDouble())
        || value.asDouble() < 0
        || value.asDouble() > MAX_NUMERIC_DATE) {
      throw new TokenRejectedException("invalid " + name);
    }
  }

  private static Set<String> scopes(JsonNode claims) {
    Set<String> scopes = new HashSet<>();
    JsonNode scope = claims.get("scope");
    if (scope != null && scope.isTextual()) {
      for (String s : scope.asText().trim().split("\\s+")) {
        if (!s.isEmpty()) {
          scopes.add(s);
        }
      }
    }
    JsonNode scp = claims.get("scp");
    if (scp != null && scp.isArray()) {
      scp.forEach(
          s -> {
            if (s.isTextual()) {
              scopes.add(s.asText());
            }
          });
    }
    return scopes;
  }

  private static String claimsReason(String message) {
    String m = String.valueOf(message);
    if (m.startsWith("Expired JWT")) {
      return "token expired";
    }
    if (m.startsWith("JWT before use time")) {
      return "token not yet valid";
    }
    if (m.startsWith("JWT aud") || m.startsWith("JWT missing required audience")) {
      return "audience not accepted";
    }
    if (m.startsWith("JWT missing required claims")) {
      return "missing required claims";
    }
    if (m.startsWith("JWT iss claim has value")) {
      return "issuer not trusted";
    }
    return "token claims invalid";
  }

  private static JsonNode json(String part, int maxBytes, String reason) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw new TokenRejectedException(reason);
    }
    if (bytes.length > maxBytes) {
      throw new TokenRejectedException(
          maxBytes == MAX_HEADER_BYTES ? "token header too large" : "token too large");
    }
    try {
      JsonNode node = STRICT.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new TokenRejectedException(reason);
      }
      return node;
    } catch (java.io.IOException e) {
      throw new TokenRejectedException(reason);
    }
  }

  private static String fingerprint(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
