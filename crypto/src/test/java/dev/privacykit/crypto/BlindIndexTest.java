package dev.privacykit.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BlindIndexTest {
  private final Keyring keyring = Keyring.inMemory();

  private BlindIndex email() {
    return BlindIndex.builder(keyring, "customers", "email_idx")
        .field(Transform.NORMALIZE)
        .bits(16)
        .expectedRows(1_000_000)
        .build();
  }

  @Test
  void term_isStable_normalised_andTruncated() throws Exception {
    BlindIndex index = email();
    byte[] term = index.term("acme", "Alice@Example.com");
    assertThat(term).hasSize(2);
    assertThat(index.term("acme", "  alice@example.COM ")).isEqualTo(term);
    assertThat(index.term("acme", "bob@example.com")).isNotEqualTo(term);
    assertThat(index.term("globex", "alice@example.com")).isNotEqualTo(term);
  }

  @Test
  void oddBitSizes_zeroTheUnusedBits() throws Exception {
    BlindIndex index =
        BlindIndex.builder(keyring, "customers", "phone_idx")
            .bits(13)
            .expectedRows(1_000_000)
            .build();
    for (int i = 0; i < 50; i++) {
      byte[] term = index.term("acme", "+44 20 7946 " + i);
      assertThat(term).hasSize(2);
      assertThat(term[1] & 0x07).isZero();
    }
  }

  @Test
  void differentIndexesOrTables_giveUnrelatedTerms() throws Exception {
    BlindIndex other =
        BlindIndex.builder(keyring, "customers", "email_idx2")
            .field(Transform.NORMALIZE)
            .bits(16)
            .expectedRows(1_000_000)
            .build();
    Set<String> seen = new HashSet<>();
    int same = 0;
    for (int i = 0; i < 200; i++) {
      String value = "user" + i + "@example.com";
      if (java.util.Arrays.equals(email().term("acme", value), other.term("acme", value))) {
        same++;
      }
      seen.add(java.util.HexFormat.of().formatHex(email().term("acme", value)));
    }
    assertThat(same).isLessThan(3);
    assertThat(seen.size()).isGreaterThan(190);
  }

  @Test
  void compound_usesEveryFieldInOrder() throws Exception {
    BlindIndex index =
        BlindIndex.builder(keyring, "customers", "name_birth_idx")
            .field(Transform.NORMALIZE)
            .field(Transform.DIGITS_ONLY)
            .bits(18)
            .expectedRows(5_000_000)
            .build();
    byte[] term = index.term("acme", "Alice Smith", "1990-04-01");
    assertThat(index.term("acme", "alice  smith", "19900401")).isEqualTo(term);
    assertThat(index.term("acme", "1990-04-01", "Alice Smith")).isNotEqualTo(term);
    assertThatThrownBy(() -> index.term("acme", "Alice Smith"))
        .hasMessage("index name_birth_idx has 2 fields, got 1 values");
  }

  @Test
  void lastN_transform_indexesTheTail() throws Exception {
    BlindIndex last4 =
        BlindIndex.builder(keyring, "customers", "phone_last4")
            .field(Transform.DIGITS_ONLY.andThen(Transform.lastN(4)))
            .bits(8)
            .expectedRows(1_000_000)
            .inputDomain(10_000)
            .build();
    assertThat(last4.term("acme", "+44 20 7946 0123")).isEqualTo(last4.term("acme", "555-0123"));
  }

  @Test
  void rotation_searchTermsCoverEveryKey() throws Exception {
    BlindIndex index = email();
    byte[] old = index.term("acme", "alice@example.com");
    keyring.rotate();
    List<byte[]> terms = index.searchTerms("acme", "alice@example.com");
    assertThat(terms).hasSize(2);
    assertThat(terms.get(0)).isEqualTo(index.term("acme", "alice@example.com"));
    assertThat(terms.get(1)).isEqualTo(old);
  }

  @Test
  void planner_refusesSizesThatLeakOrDoNotNarrow() {
    assertThatThrownBy(
            () ->
                BlindIndex.builder(keyring, "customers", "x")
                    .bits(32)
                    .expectedRows(1_000_000)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a 32-bit index over 1000000 rows leaves 0.000233 coincidences per value; at least 2"
                + " are needed or index terms identify rows (safe sizes are 10 to 18 bits)");
    assertThatThrownBy(
            () ->
                BlindIndex.builder(keyring, "customers", "x")
                    .bits(4)
                    .expectedRows(1_000_000)
                    .build())
        .hasMessageContaining("fewer than 1000 (the square root of the rows)");
    assertThatThrownBy(
            () ->
                BlindIndex.builder(keyring, "customers", "x")
                    .bits(16)
                    .expectedRows(1_000_000)
                    .inputDomain(10_000)
                    .build())
        .hasMessageContaining("over 10000 rows");
    assertThatThrownBy(
            () ->
                BlindIndex.builder(keyring, "customers", "x")
                    .bits(16)
                    .otherIndexBits(8)
                    .expectedRows(1_000_000)
                    .build())
        .hasMessageStartingWith("a 24-bit index");
    assertThat(BlindIndexPlanner.maxBits(1_000_000, 0)).isEqualTo(18);
    assertThat(BlindIndexPlanner.minBits(1_000_000, 0)).isEqualTo(10);
    assertThatThrownBy(() -> BlindIndex.builder(keyring, "t", "x").bits(0))
        .hasMessage("bits must be 1 to 256, was 0");
  }
}
