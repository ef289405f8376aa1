package dev.privacykit.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateWindowsTest {
  @Test
  void aFloodOfNewKeys_cannotResetTheWindowsAlreadyCounted() {
    RateWindows windows = new RateWindows(10);
    for (int i = 0; i < 5; i++) {
      assertThat(windows.take("principal:acme|victim-of-a-reset", 5)).isZero();
    }
    assertThat(windows.take("principal:acme|victim-of-a-reset", 5)).isPositive();
    // 10,000 fresh keys: before, the table was cleared past its size and every window restarted.
    long refused = 0;
    for (int i = 0; i < 10_000; i++) {
      refused += windows.take("ip:10.0." + (i / 256) + "." + (i % 256), 5) > 0 ? 1 : 0;
    }
    assertThat(windows.size()).isLessThanOrEqualTo(11);
    assertThat(refused).as("the flood shares one overflow window").isGreaterThan(9_900);
    assertThat(windows.take("principal:acme|victim-of-a-reset", 5))
        .as("the counted window survived the flood")
        .isPositive();
  }

  @Test
  void keysOfOneSubjectInTwoTenants_areCountedApart() {
    RateWindows windows = new RateWindows(100);
    for (int i = 0; i < 3; i++) {
      windows.take("principal:acme\u0000iss\u0000svc", 3);
    }
    assertThat(windows.take("principal:acme\u0000iss\u0000svc", 3)).isPositive();
    assertThat(windows.take("principal:beta\u0000iss\u0000svc", 3)).isZero();
  }
}
