package dev.privacykit.crypto.internal;

import static dev.privacykit.crypto.internal.Bytes.hex;
import static dev.privacykit.crypto.internal.Bytes.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;

/** RFC 5297 appendix A test vectors. */
class AesSivTest {

  @Test
  void rfc5297_a1_deterministicAuthenticatedEncryption() throws Exception {
    AesSiv siv =
        new AesSiv(
            unhex("fffefdfc fbfaf9f8 f7f6f5f4 f3f2f1f0 f0f1f2f3 f4f5f6f7 f8f9fafb fcfdfeff"));
    byte[] ad = unhex("10111213 14151617 18191a1b 1c1d1e1f 20212223 24252627");
    byte[] plaintext = unhex("11223344 55667788 99aabbcc ddee");
    byte[] output = siv.encrypt(plaintext, ad);
    assertThat(hex(output))
        .isEqualTo("85632d07c6e8f37f950acd320a2ecc9340c02b9690c4dc04daef7f6afe5c");
    assertThat(siv.decrypt(output, ad)).isEqualTo(plaintext);
  }

  @Test
  void rfc5297_a2_nonceBasedWithSeveralAssociatedData() throws Exception {
    AesSiv siv =
        new AesSiv(
            unhex("7f7e7d7c 7b7a7978 77767574 73727170 40414243 44454647 48494a4b 4c4d4e4f"));
    byte[] ad1 =
        unhex(
            "00112233 44556677 8899aabb ccddeeff deaddada deaddada ffeeddcc bbaa9988 77665544"
                + " 33221100");
    byte[] ad2 = unhex("10203040 50607080 90a0");
    byte[] nonce = unhex("09f91102 9d74e35b d84156c5 635688c0");
    byte[] plaintext =
        unhex(
            "74686973 20697320 736f6d65 20706c61 696e7465 78742074 6f20656e 63727970 74207573"
                + " 696e6720 5349562d 414553");
    byte[] output = siv.encrypt(plaintext, ad1, ad2, nonce);
    assertThat(hex(output))
        .isEqualTo(
            "7bdb6e3b432667eb06f4d14bff2fbd0fcb900f2fddbe404326601965c889bf17"
                + "dba77ceb094fa663b7a3f748ba8af829ea64ad544a272e9c485b62a3fd5c0d");
    assertThat(siv.decrypt(output, ad1, ad2, nonce)).isEqualTo(plaintext);
  }

  @Test
  void decrypt_alteredOrOtherAssociatedData_fails() throws Exception {
    AesSiv siv = new AesSiv(new byte[64]);
    byte[] output = siv.encrypt(new byte[] {1, 2, 3}, new byte[] {9});
    for (int i = 0; i < output.length; i++) {
      byte[] altered = output.clone();
      altered[i] ^= 1;
      assertThatThrownBy(() -> siv.decrypt(altered, new byte[] {9}))
          .isInstanceOf(GeneralSecurityException.class)
          .hasMessage("decryption failed");
    }
    assertThatThrownBy(() -> siv.decrypt(output, new byte[] {8})).hasMessage("decryption failed");
    assertThatThrownBy(() -> siv.decrypt(new byte[5])).hasMessage("decryption failed");
  }

  @Test
  void emptyPlaintext_roundTrips() throws Exception {
    AesSiv siv = new AesSiv(new byte[32]);
    assertThat(siv.decrypt(siv.encrypt(new byte[0], new byte[] {1}), new byte[] {1})).isEmpty();
  }
}
