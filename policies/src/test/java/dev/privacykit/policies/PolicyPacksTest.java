package dev.privacykit.policies;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PolicyPacksTest {

  @Test
  void gdprPack_loads() {
    PolicySet gdpr = PolicyPacks.gdpr();
    assertThat(gdpr.regime()).isEqualTo(Regime.GDPR);
    assertThat(gdpr.purposes())
        .containsKeys(
            "order_fulfilment", "email_marketing", "targeted_advertising", "allergy_safety");
    assertThat(gdpr.purpose("allergy_safety").orElseThrow().art9Condition())
        .isEqualTo(Art9Condition.EXPLICIT_CONSENT);
    assertThat(gdpr.notice("marketing-notice").orElseThrow().latestMaterialVersion()).isEqualTo(2);
  }

  @Test
  void dpdpPack_loads() {
    PolicySet dpdp = PolicyPacks.dpdp();
    assertThat(dpdp.regime()).isEqualTo(Regime.DPDP);
    assertThat(dpdp.purpose("payments").orElseThrow().basis())
        .isEqualTo(LawfulBasis.DPDP_VOLUNTARILY_PROVIDED);
    assertThat(dpdp.purpose("location_offers").orElseThrow().gpc()).isTrue();
  }

  @Test
  void packFiles_inTheRepository_loadFromDisk() throws Exception {
    assertThat(PolicyLoader.load(Path.of("examples/gdpr.yaml")).name()).startsWith("GDPR");
    assertThat(PolicyLoader.load(Path.of("examples/dpdp.yaml")).name()).startsWith("DPDP");
  }
}
