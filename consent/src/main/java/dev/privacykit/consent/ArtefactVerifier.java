package dev.privacykit.consent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies a Consent Manager's artefact, a compact JWS, before anything is read from it as true:
 * size, header (algorithm allowlist ES256, EdDSA, PS256, RS256; a {@code kid} naming one of that
 * manager's keys; no {@code jku}, {@code jwk}, {@code x5u}, {@code x5c}, {@code crit} or {@code
 * b64}; no duplicate members), signature, then the claims ({@code iss} = the manager, {@code aud} =
 * the tenant, {@code iat} neither in the future beyond the clock skew nor older than the maximum
 * age, {@code sub}, {@code jti}, {@code action}, {@code purposes}, {@code notice}). Every refusal
 * is {@code invalid-artefact} with a reason that names no person.
 */
final class ArtefactVerifier {
  /** The largest artefact accepted, in characters of the compact form. */
  static final int MAX_CHARS = 16_384;

  private static final int MAX_HEADER_BYTES = 1_024;
  private static final int MAX_PURPOSES = 64;
  private static final Set<String> FORBIDDEN_HEADERS =
      Set.of("jku", "jwk", "x5u", "x5c", "crit", "b64");
  private static final Set<String> ACTIONS = Set.of("give", "renew", "refuse", "withdraw");
  private static final byte[] ED25519_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };
  private static final ObjectMapper STRICT =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  /**
   * What a verified artefact says.
   *
   * @param notice the notice version shown (0 when the artefact names none)
   */
  record Claims(
      String jti,
      String subject,
      String action,
      List<String> purposes,
      int notice,
      String language,
      String noticeHash,
      Instant issuedAt,
      String sha256) {}

  private ArtefactVerifier() {}

  static Claims verify(
      String compact, ConsentManager manager, String tenant, Instant now, Duration maxAge) {
    if (compact == null || compact.isBlank()) {
      throw invalid("the artefact is empty");
    }
    compact = compact.strip();
    if (compact.length() > MAX_CHARS) {
      throw new ConsentException(
          ConsentException.Kind.TOO_LARGE, "an artefact is at most " + MAX_CHARS + " characters");
    }
    String[] parts = compact.split("\\.", -1);
    if (parts.length != 3 || parts[2].isEmpty()) {
      throw invalid("the artefact is not a compact JWS");
    }
    JsonNode header = json(parts[0], MAX_HEADER_BYTES, "header");
    JsonNode alg = header.get("alg");
    if (alg == null || !alg.isTextual() || !ALLOWED.contains(alg.asText())) {
      throw invalid("algorithm not allowed (ES256, EdDSA, PS256 or RS256)");
    }
    for (String name : FORBIDDEN_HEADERS) {
      if (header.has(name)) {
        throw invalid("header parameter not allowed: " + name);
      }
    }
    JsonNode kid = header.get("kid");
    if (kid == null || !kid.isTextual()) {
      throw invalid("the header names no kid");
    }
    JWK key = keyOf(manager, kid.asText());
    JWSAlgorithm algorithm = JWSAlgorithm.parse(alg.asText());
    if (!algorithmsOf(key).contains(algorithm)) {
      throw invalid("the key named by kid does not sign with " + algorithm);
    }
    JWSObject jws;
    try {
      jws = JWSObject.parse(compact);
    } catch (java.text.ParseException e) {
      throw invalid("the artefact is not a compact JWS");
    }
    if (!verified(jws, key, algorithm)) {
      throw invalid("signature invalid");
    }
    return claims(json(parts[1], MAX_CHARS, "payload"), manager, tenant, now, maxAge, compact);
  }

  private static final Set<String> ALLOWED = Set.of("ES256", "EdDSA", "PS256", "RS256");

  /** The algorithms a key of a manager may sign with; empty for a key that may sign with none. */
  static Set<JWSAlgorithm> algorithmsOf(JWK key) {
    if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
      return Set.of();
    }
    Set<JWSAlgorithm> out = new LinkedHashSet<>();
    if (key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
      out.add(JWSAlgorithm.ES256);
    } else if (key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
      out.add(JWSAlgorithm.EdDSA);
    } else if (key instanceof RSAKey rsa && rsa.size() >= 2048) {
      out.add(JWSAlgorithm.RS256);
      out.add(JWSAlgorithm.PS256);
    }
    if (key.getAlgorithm() != null) {
      out.removeIf(a -> !a.getName().equals(key.getAlgorithm().getName()));
    }
    return out;
  }

  private static JWK keyOf(ConsentManager manager, String kid) {
    try {
      JWK key = JWKSet.parse(manager.jwks()).getKeyByKeyId(kid);
      if (key == null || key.isPrivate()) {
        throw invalid("no key of this Consent Manager has this kid");
      }
      return key;
    } catch (java.text.ParseException e) {
      throw invalid("this Consent Manager's key set is unusable");
    }
  }

  private static boolean verified(JWSObject jws, JWK key, JWSAlgorithm algorithm) {
    try {
      if (JWSAlgorithm.EdDSA.equals(algorithm)) {
        byte[] x = ((OctetKeyPair) key).getX().decode();
        byte[] der = new byte[ED25519_PREFIX.length + x.length];
        System.arraycopy(ED25519_PREFIX, 0, der, 0, ED25519_PREFIX.length);
        System.arraycopy(x, 0, der, ED25519_PREFIX.length, x.length);
        PublicKey publicKey =
            KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        Signature signature = Signature.getInstance("Ed25519");
        signature.initVerify(publicKey);
        signature.update(jws.getSigningInput());
        return signature.verify(jws.getSignature().decode());
      }
      JWSVerifier verifier =
          key instanceof ECKey ec
              ? new ECDSAVerifier(ec.toECPublicKey())
              : new RSASSAVerifier(((RSAKey) key).toRSAPublicKey());
      return jws.verify(verifier);
    } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static Claims claims(
      JsonNode claims,
      ConsentManager manager,
      String tenant,
      Instant now,
      Duration maxAge,
      String compact) {
    if (!manager.id().equals(text(claims, "iss", 128))) {
      throw invalid("iss is not this Consent Manager");
    }
    JsonNode aud = claims.get("aud");
    boolean forTenant =
        aud != null
            && (aud.isTextual()
                ? aud.asText().equals(tenant)
                : aud.isArray() && aud.size() == 1 && tenant.equals(aud.get(0).asText(null)));
    if (!forTenant) {
      throw invalid("aud is not this fiduciary (tenant)");
    }
    JsonNode iat = claims.get("iat");
    if (iat == null
        || !iat.isIntegralNumber()
        || iat.asLong() < 0
        || iat.asLong() > 253402300799L) {
      throw invalid("iat must be a NumericDate in seconds");
    }
    Instant issuedAt = Instant.ofEpochSecond(iat.asLong());
    if (issuedAt.isAfter(now.plus(ConsentLedger.MAX_CLOCK_SKEW))) {
      throw invalid("iat is in the future");
    }
    if (issuedAt.isBefore(now.minus(maxAge))) {
      throw invalid("the artefact is older than " + maxAge.toMinutes() + " minutes");
    }
    String subject = text(claims, "sub", 256);
    String jti = text(claims, "jti", 128);
    String action = text(claims, "action", 16);
    if (!ACTIONS.contains(action)) {
      throw invalid("action must be give, renew, refuse or withdraw");
    }
    JsonNode list = claims.get("purposes");
    if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_PURPOSES) {
      throw invalid("purposes must be a list of 1 to " + MAX_PURPOSES + " purpose ids");
    }
    List<String> purposes = new ArrayList<>();
    for (JsonNode item : list) {
      if (!item.isTextual() || item.asText().isBlank() || item.asText().length() > 128) {
        throw invalid("each purpose must be a purpose id");
      }
      if (purposes.contains(item.asText())) {
        throw invalid("a purpose is listed twice");
      }
      purposes.add(item.asText());
    }
    JsonNode notice = claims.get("notice");
    int version = 0;
    String language = null;
    String hash = null;
    if (notice != null) {
      if (!notice.isObject()) {
        throw invalid("notice must be an object");
      }
      JsonNode v = notice.get("version");
      if (v == null || !v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > Integer.MAX_VALUE) {
        throw invalid("notice.version must be a positive integer");
      }
      version = v.asInt();
      language = notice.has("language") ? text(notice, "language", 35) : null;
      hash = notice.has("sha256") ? text(notice, "sha256", 64) : null;
      if (hash != null && !hash.matches("[0-9a-f]{64}")) {
        throw invalid("notice.sha256 must be 64 lower-case hex digits");
      }
    } else if (action.equals("give") || action.equals("renew")) {
      throw invalid("a give or renew names the notice shown");
    }
    return new Claims(
        jti,
        subject,
        action,
        List.copyOf(purposes),
        version,
        language,
        hash,
        issuedAt,
        sha256(compact));
  }

  private static String text(JsonNode node, String name, int max) {
    JsonNode value = node.get(name);
    if (value == null
        || !value.isTextual()
        || value.asText().isBlank()
        || value.asText().length() > max) {
      throw invalid(name + " must be a text of 1 to " + max + " characters");
    }
    return value.asText();
  }

  private static JsonNode json(String part, int maxBytes, String what) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw invalid("the " + what + " is not base64url");
    }
    if (bytes.length > maxBytes) {
      throw invalid("the " + what + " is too large");
    }
    try {
      JsonNode node = STRICT.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw invalid("the " + what + " is not a JSON object");
      }
      return node;
    } catch (java.io.IOException e) {
      throw invalid("the " + what + " is not a JSON object without duplicate members");
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ConsentException invalid(String reason) {
    return new ConsentException(
        ConsentException.Kind.INVALID_ARTEFACT, "artefact", "artefact refused: " + reason);
  }
}
