package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EvidenceTest {
  @Test
  void ipAddresses_areTruncated_andUserAgentsHashed() {
    Evidence v4 = Evidence.of(Instant.EPOCH, "web", "198.51.100.23", "Mozilla/5.0", "v1");
    assertThat(v4.ipTruncated()).isEqualTo("198.51.100.0/24");
    assertThat(v4.userAgentHash()).hasSize(32).doesNotContain("Mozilla");
    assertThat(Evidence.of(Instant.EPOCH, null, "2001:db8:1234:5678::1", null, null).ipTruncated())
        .isEqualTo("2001:db8:1234:0:0:0:0:0/48");
    assertThat(Evidence.of(Instant.EPOCH, null, "::ffff:192.0.2.9", null, null).ipTruncated())
        .isEqualTo("192.0.2.0/24");
    assertThat(Evidence.of(Instant.EPOCH, null, "::1", null, null).ipTruncated())
        .isEqualTo("0:0:0:0:0:0:0:0/48");
  }

  /**
   * Host names, hex words that look like names, and malformed literals are refused without a
   * resolver: {@code localhost} and {@code dead.beef} would each have cost a DNS lookup before.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "not-an-ip.example.com",
        "localhost",
        "dead.beef",
        "cafe",
        "1.2.3",
        "1.2.3.4.5",
        "256.1.1.1",
        "01.2.3.4",
        "1::2::3",
        "1:2:3:4:5:6:7:8:9",
        "12345::1",
        "::g",
        "1.2.3.4:80"
      })
  void nonLiterals_areRefused_withoutResolving(String address) {
    assertThatThrownBy(() -> Evidence.of(Instant.EPOCH, null, address, null, null))
        .isInstanceOf(ConsentException.class)
        .hasMessage("ipAddress is not a literal IPv4 or IPv6 address")
        .extracting(e -> ((ConsentException) e).field())
        .isEqualTo("evidence/ip_address");
    assertThat(IpLiteral.parse(address)).isNull();
  }

  @Test
  void literals_parseToTheirBytes() {
    assertThat(IpLiteral.parse("192.0.2.1")).containsExactly(192, 0, 2, 1);
    assertThat(IpLiteral.parse("2001:db8::")).hasSize(16).startsWith(0x20, 0x01, 0x0d, 0xb8);
    assertThat(IpLiteral.parse("1:2:3:4:5:6:7:8")).hasSize(16).endsWith(0, 8);
  }
}
