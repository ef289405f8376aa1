package dev.privacykit.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Leaf encodings: entries written with a salt (version 3) cannot be confirmed from a proof's
 * sibling hashes by guessing their fields; entries written before keep their version 1 bytes.
 */
class EntryCodecTest {
  private static final String[] STORED = {
    "acme",
    "agent-7",
    null,
    "subj_42",
    "READ",
    "email_marketing",
    null,
    null,
    null,
    null,
    "SUCCESS",
    null
  };
  private static final Instant AT = Instant.parse("2026-12-01T10:00:00.123456Z");

  @Test
  void saltedLeaves_ofIdenticalEntriesDiffer_andAGuessOfEveryFieldDoesNotMatch() {
    byte[] first = new byte[EntryCodec.SALT_BYTES];
    byte[] second = new byte[EntryCodec.SALT_BYTES];
    first[0] = 1;
    second[0] = 2;
    EntryCodec.Fields a = EntryCodec.Fields.of(5, AT, STORED, null, first);
    EntryCodec.Fields b = EntryCodec.Fields.of(5, AT, STORED, null, second);
    assertThat(EntryCodec.leaf(a)).isNotEqualTo(EntryCodec.leaf(b));
    // Someone who guessed every field exactly, down to the microsecond, still lacks the salt.
    EntryCodec.Fields guess = EntryCodec.Fields.of(5, AT, STORED, null, null);
    assertThat(EntryCodec.leaf(guess)).isNotEqualTo(EntryCodec.leaf(a));
    assertThat(EntryCodec.encode(a)[0]).isEqualTo((byte) 3);
  }

  @Test
  void unsaltedEntries_keepTheirEarlierEncodings() {
    assertThat(EntryCodec.encode(EntryCodec.Fields.of(5, AT, STORED, null, null))[0])
        .isEqualTo((byte) 1);
    String[] submitted = STORED.clone();
    submitted[11] = "https://id.example|orders";
    assertThat(EntryCodec.encode(EntryCodec.Fields.of(5, AT, submitted, null, null))[0])
        .isEqualTo((byte) 2);
  }
}
