package dev.privacykit.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConsentManagerReadingTest {
  private static final String KEY =
      "{kty: EC, crv: P-256, kid: k1, x: f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU,"
          + " y: x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0}";

  private static String policy(String regime, String key) {
    return """
        policy: 1
        name: test
        regime: %s
        consent_managers:
          - id: cm-one
            registration_number: "CM/2026/0001"
            name: One Consent
            jwks: {keys: [%s]}
        """
        .formatted(regime, key);
  }

  @Test
  void dpdpPolicy_registersManagerWithItsKeysAsJson() {
    PolicySet set = PolicyLoader.parse("p.yaml", policy("DPDP", KEY));
    assertThat(set.consentManagers()).hasSize(1);
    ConsentManagerEntry cm = set.consentManagers().get(0);
    assertThat(cm.id()).isEqualTo("cm-one");
    assertThat(cm.registrationNumber()).isEqualTo("CM/2026/0001");
    assertThat(cm.name()).isEqualTo("One Consent");
    assertThat(cm.jwks()).startsWith("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k1\"");
  }

  @Test
  void gdprPolicy_withConsentManagers_isRefused() {
    assertThatThrownBy(() -> PolicyLoader.parse("p.yaml", policy("GDPR", KEY)))
        .isInstanceOf(PolicyLoadException.class)
        .hasMessageContaining("5:3: consent_managers are a DPDP provision");
  }

  @Test
  void privateKeyMaterial_isRefused() {
    assertThatThrownBy(
            () ->
                PolicyLoader.parse(
                    "p.yaml", policy("DPDP", KEY.replace("kid: k1", "kid: k1, d: c2VjcmV0"))))
        .isInstanceOf(PolicyLoadException.class)
        .hasMessageContaining("has private key material ('d'): list public keys only");
  }

  @Test
  void keyWithoutKid_isRefused() {
    assertThatThrownBy(
            () -> PolicyLoader.parse("p.yaml", policy("DPDP", KEY.replace("kid: k1, ", ""))))
        .isInstanceOf(PolicyLoadException.class)
        .hasMessageContaining("needs a kid");
  }

  @Test
  void policyWithoutManagers_hasNone() {
    assertThat(PolicyPacks.dpdp().consentManagers()).isEmpty();
  }

  @Test
  void dpdpPack_commentedExample_loadsOnceUncommented() {
    String pack = PolicyPacks.text("dpdp.yaml");
    String uncommented =
        pack.substring(0, pack.indexOf("# consent_managers:"))
            + pack.substring(pack.indexOf("# consent_managers:")).replaceAll("(?m)^# ", "");
    PolicySet set = PolicyLoader.parse("dpdp.yaml", uncommented);
    assertThat(set.consentManagers())
        .extracting(ConsentManagerEntry::id)
        .containsExactly("cm-example");
  }
}
