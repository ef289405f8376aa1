package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EvidenceTest {
  @Test
  void ipAddresses_areTruncated_andUserAgentsHashed() {
    Evidence v4 = Evidence.of(Instant.EPOCH, "web", "198.51.100.23", "Mozilla/5.0", "v1");
    assertThat(v4.ipTruncated()).isEqualTo("198.51.100.0/24");
    assertThat(v4.userAgentHash()).hasSize(32).doesNotContain("Mozilla");
    assertThat(Evidence.of(Instant.EPOCH, null, "2001:db8:1234:5678::1", null, null).ipTruncated())
        .isEqualTo("2001:db8:1234:0:0:0:0:0/48");
    assertThatThrownBy(() -> Evidence.of(Instant.EPOCH, null, "not-an-ip.example.com", null, null))
        .hasMessage("ipAddress is not an IP address");
  }
}
