package dev.privacykit.javalin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The malicious-token suite: each forged, broken or misused token is refused with a safe reason.
 */
class TokenVerifierTest {
  static final String ISS = "https://id.example.test";
  static final String ISS2 = "https://other-id.example.test";
  static KeyPair rsa;
  static KeyPair ec;
  static KeyPair stranger;
  static TokenVerifier verifier;
  static TokenVerifier atJwtVerifier;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
    r.initialize(2048);
    rsa = r.generateKeyPair();
    stranger = r.generateKeyPair();
    KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
    e.initialize(new ECGenParameterSpec("secp256r1"));
    ec = e.generateKeyPair();
    String jwks =
        new JWKSet(new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).keyID("rsa-1").build())
            .toString();
    String jwks2 =
        new JWKSet(
                new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256, (ECPublicKey) ec.getPublic())
                    .keyID("ec-1")
                    .build())
            .toString();
    verifier =
        TokenVerifier.create(
            c ->
                c.issuer(ISS, i -> i.jwks(jwks).audience("orders-api"))
                    .issuer(ISS2, i -> i.jwks(jwks2).audience("orders-api"))
                    .maxLifetime(Duration.ofHours(1)));
    atJwtVerifier =
        TokenVerifier.create(
            c -> c.issuer(ISS, i -> i.jwks(jwks).audience("orders-api")).requireType("at+jwt"));
  }

  static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static long now() {
    return Instant.now().getEpochSecond();
  }

  static String claims(String extra) {
    return "{\"iss\":\""
        + ISS
        + "\",\"sub\":\"subj_1\",\"aud\":\"orders-api\",\"iat\":"
        + (now() - 10)
        + ",\"exp\":"
        + (now() + 600)
        + ",\"tenant\":\"acme\",\"scope\":\"orders:read consents:write\""
        + extra
        + "}";
  }

  /** A token with exactly this header and payload, signed RS256 with {@code key}. */
  static String rs256(String header, String payload, KeyPair key) throws Exception {
    String input = b64(header) + "." + b64(payload);
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(key.getPrivate());
    s.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
  }

  static String rs256(String payload) throws Exception {
    return rs256("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", payload, rsa);
  }

  static String es256(String payload) throws Exception {
    com.nimbusds.jose.JWSObject jws =
        new com.nimbusds.jose.JWSObject(
            new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES256)
                .keyID("ec-1")
                .build(),
            new com.nimbusds.jose.Payload(payload));
    jws.sign(
        new com.nimbusds.jose.crypto.ECDSASigner(
            (java.security.interfaces.ECPrivateKey) ec.getPrivate()));
    return jws.serialize();
  }

  @Test
  void validTokens_fromEachTrustedIssuer_areAccepted() throws Exception {
    Principal p = verifier.verify(rs256(claims("")));
    assertThat(p.issuer()).isEqualTo(ISS);
    assertThat(p.subject()).isEqualTo("subj_1");
    assertThat(p.tenant()).isEqualTo("acme");
    assertThat(p.scopes()).containsExactlyInAnyOrder("orders:read", "consents:write");
    Principal q = verifier.verify(es256(claims("").replace(ISS, ISS2)));
    assertThat(q.issuer()).isEqualTo(ISS2);
    String token = rs256(claims(""));
    assertThat(verifier.verify(token)).isEqualTo(verifier.verify(token)); // served from the cache
    assertThat(
            atJwtVerifier
                .verify(
                    rs256(
                        "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"typ\":\"at+jwt\"}",
                        claims(""),
                        rsa))
                .subject())
        .isEqualTo("subj_1");
  }

  static Stream<Arguments> malicious() throws Exception {
    String hmacWithPublicKey;
    {
      String input = b64("{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}") + "." + b64(claims(""));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(rsa.getPublic().getEncoded(), "HmacSHA256"));
      hmacWithPublicKey =
          input
              + "."
              + Base64.getUrlEncoder()
                  .withoutPadding()
                  .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }
    String valid = rs256(claims(""));
    String[] parts = valid.split("\\.");
    char last = parts[2].charAt(parts[2].length() - 2);
    String tamperedSignature =
        parts[0]
            + "."
            + parts[1]
            + "."
            + parts[2].substring(0, parts[2].length() - 2)
            + (last == 'A' ? 'B' : 'A')
            + parts[2].charAt(parts[2].length() - 1);
    String tamperedPayload =
        parts[0] + "." + b64(claims("").replace("subj_1", "subj_2")) + "." + parts[2];
    return Stream.of(
        Arguments.of(
            "alg none", b64("{\"alg\":\"none\"}") + "." + b64(claims("")) + ".", "malformed token"),
        Arguments.of(
            "alg none with a signature",
            b64("{\"alg\":\"none\"}") + "." + b64(claims("")) + ".AAAA",
            "algorithm not allowed"),
        Arguments.of(
            "HS256 signed with the RSA public key", hmacWithPublicKey, "algorithm not allowed"),
        Arguments.of(
            "unknown kid",
            rs256("{\"alg\":\"RS256\",\"kid\":\"nope\"}", claims(""), rsa),
            "no trusted key matches the token"),
        Arguments.of(
            "kid path traversal",
            rs256("{\"alg\":\"RS256\",\"kid\":\"../../../../etc/passwd\"}", claims(""), rsa),
            "no trusted key matches the token"),
        Arguments.of(
            "kid SQL injection",
            rs256("{\"alg\":\"RS256\",\"kid\":\"' OR '1'='1\"}", claims(""), rsa),
            "no trusted key matches the token"),
        Arguments.of(
            "expired",
            rs256(edited(claims(""), "\"exp\":\\d+", "\"exp\":" + (now() - 120))),
            "token expired"),
        Arguments.of(
            "not yet valid", rs256(claims(",\"nbf\":" + (now() + 600))), "token not yet valid"),
        Arguments.of(
            "wrong iss",
            rs256(claims("").replace(ISS, "https://evil.example")),
            "issuer not trusted"),
        Arguments.of(
            "wrong aud",
            rs256(claims("").replace("orders-api", "billing-api")),
            "audience not accepted"),
        Arguments.of(
            "missing sub",
            rs256(claims("").replace("\"sub\":\"subj_1\",", "")),
            "missing or invalid sub"),
        Arguments.of(
            "missing exp",
            rs256(edited(claims(""), ",\"exp\":\\d+", "")),
            "missing required claims"),
        Arguments.of(
            "jku pointing elsewhere",
            rs256(
                "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"jku\":\"https://evil.example/jwks\"}",
                claims(""),
                rsa),
            "token header parameter not allowed: jku"),
        Arguments.of(
            "embedded jwk",
            rs256(
                "{\"alg\":\"RS256\",\"jwk\":"
                    + new RSAKey.Builder((RSAPublicKey) stranger.getPublic()).build().toJSONString()
                    + "}",
                claims(""),
                stranger),
            "token header parameter not allowed: jwk"),
        Arguments.of(
            "x5u header",
            rs256(
                "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"x5u\":\"https://evil.example/cert\"}",
                claims(""),
                rsa),
            "token header parameter not allowed: x5u"),
        Arguments.of(
            "crit header",
            rs256("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"crit\":[\"exp\"]}", claims(""), rsa),
            "token header parameter not allowed: crit"),
        Arguments.of(
            "JWE",
            "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d",
            "encrypted tokens are not accepted"),
        Arguments.of(
            "oversized header",
            rs256(
                "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"pad\":\"" + "x".repeat(2_000) + "\"}",
                claims(""),
                rsa),
            "token header too large"),
        Arguments.of("truncated", parts[0] + "." + parts[1], "malformed token"),
        Arguments.of("bad base64", "%%%." + parts[1] + "." + parts[2], "malformed token header"),
        Arguments.of(
            "non-JSON payload",
            parts[0] + "." + b64("not json") + "." + parts[2],
            "malformed token claims"),
        Arguments.of(
            "duplicate claims", rs256(claims(",\"sub\":\"admin\"")), "malformed token claims"),
        Arguments.of(
            "duplicate header keys",
            rs256("{\"alg\":\"RS256\",\"alg\":\"none\",\"kid\":\"rsa-1\"}", claims(""), rsa),
            "malformed token header"),
        Arguments.of(
            "iat in the future",
            rs256(edited(claims(""), "\"iat\":\\d+", "\"iat\":" + (now() + 300))),
            "token issued in the future"),
        Arguments.of(
            "lifetime too long",
            rs256(edited(claims(""), "\"exp\":\\d+", "\"exp\":" + (now() + 3 * 3600))),
            "token lifetime too long"),
        Arguments.of(
            "non-string sub",
            rs256(claims("").replace("\"sub\":\"subj_1\"", "\"sub\":42")),
            "missing or invalid sub"),
        Arguments.of(
            "non-string iss",
            rs256(claims("").replace("\"iss\":\"" + ISS + "\"", "\"iss\":[\"" + ISS + "\"]")),
            "missing or invalid iss"),
        Arguments.of("tampered signature", tamperedSignature, "signature invalid"),
        Arguments.of("tampered payload", tamperedPayload, "signature invalid"),
        Arguments.of(
            "signed by a stranger's key with the right kid",
            rs256("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", claims(""), stranger),
            "signature invalid"),
        Arguments.of(
            "ES256 token claiming the RSA issuer",
            es256(claims("")),
            "no trusted key matches the token"),
        Arguments.of(
            "non-string tenant",
            rs256(claims("").replace("\"tenant\":\"acme\"", "\"tenant\":{\"id\":1}")),
            "invalid tenant claim"),
        Arguments.of("empty", "", "missing token"));
  }

  /** Time claims of every wrong JSON type, and headers too big or too deep for a JOSE header. */
  static Stream<Arguments> malformedClaims() throws Exception {
    List<Arguments> cases = new java.util.ArrayList<>();
    // One claims text, edited by pattern: a clock tick between two claims("") calls must not
    // leave a case valid.
    String base = claims("");
    for (String bad : new String[] {"null", "\"soon\"", "[]", "{}", "[1]", "1e400", "true"}) {
      String value = java.util.regex.Matcher.quoteReplacement(bad);
      cases.add(
          Arguments.of("exp " + bad, rs256(edited(base, "\"exp\":\\d+", "\"exp\":" + value))));
      cases.add(
          Arguments.of("iat " + bad, rs256(edited(base, "\"iat\":\\d+", "\"iat\":" + value))));
      cases.add(Arguments.of("nbf " + bad, rs256(claims(",\"nbf\":" + bad))));
    }
    cases.add(
        Arguments.of(
            "large JOSE header",
            rs256(
                "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"x\":\"" + "a".repeat(2_000) + "\"}",
                claims(""),
                rsa)));
    cases.add(
        Arguments.of(
            "deeply nested JOSE header",
            rs256(
                "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"x\":"
                    + "[".repeat(300)
                    + "]".repeat(300)
                    + "}",
                claims(""),
                rsa)));
    cases.add(
        Arguments.of(
            "deeply nested claims",
            rs256(claims(",\"x\":" + "[".repeat(2_000) + "]".repeat(2_000)))));
    return cases.stream();
  }

  /**
   * {@code text} with {@code regex} replaced; fails if nothing matched (a case must not be valid).
   */
  static String edited(String text, String regex, String replacement) {
    String out = text.replaceAll(regex, replacement);
    if (out.equals(text)) {
      throw new IllegalStateException("no " + regex + " in " + text);
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedClaims")
  void malformedClaimOrHeader_isAnInvalidToken_neverAnotherFailure(String name, String token) {
    assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(TokenRejectedException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malicious")
  void maliciousToken_isRefused_withASafeReason(String name, String token, String reason) {
    assertThatThrownBy(() -> verifier.verify(token))
        .isInstanceOf(TokenRejectedException.class)
        .hasMessage(reason)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("subj_").doesNotContain("evil"));
  }

  @Test
  void eddsaTokens_verifyWithTheJdksEd25519_andForgedOnesDoNot() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    KeyPair ed = generator.generateKeyPair();
    byte[] encoded = ed.getPublic().getEncoded();
    byte[] x = java.util.Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    String jwks =
        new JWKSet(
                new com.nimbusds.jose.jwk.OctetKeyPair.Builder(
                        com.nimbusds.jose.jwk.Curve.Ed25519,
                        com.nimbusds.jose.util.Base64URL.encode(x))
                    .keyID("ed-1")
                    .build())
            .toString();
    TokenVerifier edVerifier =
        TokenVerifier.create(c -> c.issuer(ISS, i -> i.jwks(jwks).audience("orders-api")));
    String input = b64("{\"alg\":\"EdDSA\",\"kid\":\"ed-1\"}") + "." + b64(claims(""));
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(ed.getPrivate());
    signer.update(input.getBytes(StandardCharsets.US_ASCII));
    byte[] signature = signer.sign();
    String token = input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    assertThat(edVerifier.verify(token).subject()).isEqualTo("subj_1");
    signature[0] ^= 1;
    String forged = input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    assertThatThrownBy(() -> edVerifier.verify(forged)).hasMessage("signature invalid");
    String wrongKid = b64("{\"alg\":\"EdDSA\",\"kid\":\"nope\"}") + "." + b64(claims("")) + ".AAAA";
    assertThatThrownBy(() -> edVerifier.verify(wrongKid))
        .hasMessage("no trusted key matches the token");
  }

  @Test
  void requiredType_refusesPlainJwt() throws Exception {
    assertThatThrownBy(() -> atJwtVerifier.verify(rs256(claims(""))))
        .hasMessage("wrong token type");
    assertThatThrownBy(
            () ->
                atJwtVerifier.verify(
                    rs256(
                        "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"typ\":\"JWT\"}", claims(""), rsa)))
        .hasMessage("wrong token type");
  }

  @Test
  void configuration_isCheckedWhenBuilt() {
    assertThatThrownBy(() -> TokenVerifier.create(c -> {}))
        .hasMessage("at least one trusted issuer is required");
    assertThatThrownBy(() -> TokenVerifier.create(c -> c.issuer(ISS, i -> i.jwks("{\"keys\":[]}"))))
        .hasMessage("issuer " + ISS + " needs an audience");
    assertThatThrownBy(() -> TokenVerifier.create(c -> c.issuer(ISS, i -> i.audience("a"))))
        .hasMessage("issuer " + ISS + " needs keys: jwks, jwksFile or jwksUrl");
    assertThatThrownBy(
            () ->
                TokenVerifier.create(
                    c ->
                        c.insecureHs256SingleIssuer(new byte[32])
                            .issuer(ISS, i -> i.jwks("{\"keys\":[]}").audience("a"))
                            .issuer(ISS2, i -> i.jwks("{\"keys\":[]}").audience("a"))))
        .hasMessage("HS256 is allowed only with exactly one issuer");
    assertThatThrownBy(() -> TokenVerifier.create(c -> c.allowedSkew(Duration.ofMinutes(5))))
        .hasMessage("allowedSkew must be 0 to 60 s, was PT5M");
  }
}
