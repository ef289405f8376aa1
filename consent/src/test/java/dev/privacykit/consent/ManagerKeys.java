package dev.privacykit.consent;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** A Consent Manager's signing key for tests: makes its JWKS and signs artefacts. */
final class ManagerKeys {
  final ECKey key;

  ManagerKeys(String kid) {
    try {
      this.key = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  String jwks() {
    return new JWKSet(key.toPublicJWK()).toString();
  }

  /** The claims of an artefact, to change before signing. */
  static Map<String, Object> claims(
      String manager, String tenant, String subject, String action, List<String> purposes) {
    Map<String, Object> claims = new java.util.LinkedHashMap<>();
    claims.put("iss", manager);
    claims.put("aud", tenant);
    claims.put("sub", subject);
    claims.put("action", action);
    claims.put("purposes", purposes);
    claims.put("notice", Map.of("version", 2, "language", "hi"));
    claims.put("iat", Instant.now().getEpochSecond());
    claims.put("jti", java.util.UUID.randomUUID().toString());
    return claims;
  }

  String sign(Map<String, Object> claims) {
    return sign(claims, h -> {});
  }

  String sign(Map<String, Object> claims, Consumer<JWSHeader.Builder> header) {
    try {
      JWSHeader.Builder builder =
          new JWSHeader.Builder(JWSAlgorithm.ES256)
              .keyID(key.getKeyID())
              .type(new JOSEObjectType("consent-artefact+jws"));
      header.accept(builder);
      JWSObject jws = new JWSObject(builder.build(), new Payload(claims));
      jws.sign(new ECDSASigner(key));
      return jws.serialize();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An HS256 artefact keyed with {@code secret}: must never be accepted. */
  static String hs256(Map<String, Object> claims, String kid, byte[] secret) {
    try {
      JWSObject jws =
          new JWSObject(
              new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), new Payload(claims));
      jws.sign(new MACSigner(secret));
      return jws.serialize();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
