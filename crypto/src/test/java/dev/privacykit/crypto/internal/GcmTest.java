package dev.privacykit.crypto.internal;

import static dev.privacykit.crypto.internal.Bytes.hex;
import static dev.privacykit.crypto.internal.Bytes.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * AES-256-GCM vectors from McGrew and Viega, "The Galois/Counter Mode of Operation", cases 13-15.
 */
class GcmTest {

  @ParameterizedTest(name = "test case {0}")
  @CsvSource({
    "13, 0000000000000000000000000000000000000000000000000000000000000000, 000000000000000000000000,"
        + " '', '', 530f8afbc74536b9a963b4f1c4cb738b",
    "14, 0000000000000000000000000000000000000000000000000000000000000000, 000000000000000000000000,"
        + " 00000000000000000000000000000000, cea7403d4d606b6e074ec5d3baf39d18,"
        + " d0d1c8a799996bf0265b98b5d48ab919",
    "15, feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308,"
        + " cafebabefacedbaddecaf888,"
        + " d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255,"
        + " 522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad,"
        + " b094dac5d93471bdec1a502270e3cc6c"
  })
  void vector_sealsAndOpens(
      int testCase, String key, String nonce, String plaintext, String ciphertext, String tag)
      throws Exception {
    SecretKeySpec spec = new SecretKeySpec(unhex(key), "AES");
    byte[] pt = unhex(plaintext == null ? "" : plaintext);
    byte[] out = new byte[12 + pt.length + 16];
    System.arraycopy(unhex(nonce), 0, out, 0, 12);
    // Cases 13 and 14 share key and nonce; the JDK refuses a repeat on one Cipher, so move on
    // first.
    byte[] other = new byte[12 + 16];
    Gcm.randomNonce(other, 0);
    Gcm.seal(spec, other, 0, new byte[0], 12, other, 0, null);
    Gcm.seal(spec, out, 0, pt, 12, out, 0, null);
    String expected = (ciphertext == null ? "" : ciphertext) + tag;
    assertThat(hex(java.util.Arrays.copyOfRange(out, 12, out.length))).isEqualTo(expected);
    assertThat(Gcm.open(spec, out, 0, 12, out.length - 12, 0, null)).isEqualTo(pt);
    out[out.length - 1] ^= 1;
    assertThatThrownBy(() -> Gcm.open(spec, out, 0, 12, out.length - 12, 0, null))
        .hasMessage("decryption failed");
  }
}
