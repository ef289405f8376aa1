package dev.privacykit.javalin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.javalin.testing.TestIssuer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keys from a JWKS URL: rotation picked up, outages survived with cached keys, fail closed without.
 */
class JwksTest {
  @RegisterExtension static TestIssuer issuer = new TestIssuer("orders-api");

  private static TokenVerifier verifier() {
    return TokenVerifier.create(
        c ->
            c.issuer(
                    issuer.issuer(),
                    i ->
                        i.jwksUrl(issuer.jwksUri())
                            .audience("orders-api")
                            .jwksRefreshLimit(Duration.ofMillis(100)))
                .cacheSize(0));
  }

  @Test
  void rotation_isPickedUp_andTheOldKeyStopsWorking() throws Exception {
    issuer.jwksAvailable(true);
    TokenVerifier verifier = verifier();
    assertThat(verifier.keysHealth())
        .containsExactly(new KeySetHealth(issuer.issuer(), true, true, 0, null));
    String before = issuer.token("subj_1", "acme", "orders:read");
    assertThat(verifier.verify(before).scopes()).containsExactly("orders:read");
    assertThat(verifier.keysHealth().get(0).lastFetch()).isNotNull();
    issuer.rotateKey();
    Thread.sleep(200);
    String after = issuer.token("subj_1", "acme");
    assertThat(verifier.verify(after).subject()).isEqualTo("subj_1");
    Thread.sleep(200);
    assertThatThrownBy(() -> verifier.verify(before))
        .hasMessage("no trusted key matches the token");
  }

  @Test
  void jwksDown_cachedKeyStillWorks_unknownKeyFailsClosed() throws Exception {
    issuer.jwksAvailable(true);
    TokenVerifier verifier = verifier();
    String token = issuer.token("subj_1", "acme");
    verifier.verify(token);
    issuer.jwksAvailable(false);
    try {
      assertThat(verifier.verify(issuer.token("subj_2", "acme")).subject()).isEqualTo("subj_2");
      issuer.rotateKey();
      Thread.sleep(200);
      String unknownKey = issuer.token("subj_3", "acme");
      assertThatThrownBy(() -> verifier.verify(unknownKey))
          .isInstanceOf(TokenRejectedException.class);
      KeySetHealth down = verifier.keysHealth().get(0);
      assertThat(down.healthy()).isFalse();
      assertThat(down.failures()).isPositive();
    } finally {
      issuer.jwksAvailable(true);
    }
    Thread.sleep(200);
    assertThat(verifier.verify(issuer.token("subj_4", "acme")).subject()).isEqualTo("subj_4");
    assertThat(verifier.keysHealth().get(0).healthy()).isTrue();
  }

  @Test
  void jwksDown_withNoCachedKey_failsClosed() {
    issuer.jwksAvailable(false);
    try {
      assertThatThrownBy(() -> verifier().verify(issuer.token("subj_1", "acme")))
          .isInstanceOf(TokenRejectedException.class)
          .hasMessage("the issuer's keys are unavailable");
      TokenVerifier verifier = verifier();
      assertThatThrownBy(() -> verifier.verify(issuer.token("subj_1", "acme")));
      assertThat(verifier.keysHealth().get(0).healthy()).isFalse();
    } finally {
      issuer.jwksAvailable(true);
    }
  }

  @Test
  void testIssuer_mintsBrokenTokensToo() {
    issuer.jwksAvailable(true);
    TokenVerifier verifier = verifier();
    assertThatThrownBy(() -> verifier.verify(issuer.expiredToken("s", "acme")))
        .hasMessage("token expired");
    assertThatThrownBy(() -> verifier.verify(issuer.forgedToken("s", "acme")))
        .hasMessage("signature invalid");
    assertThatThrownBy(
            () -> verifier.verify(issuer.tokenWith("s", "acme", Map.of("aud", "billing-api"))))
        .hasMessage("audience not accepted");
  }
}
