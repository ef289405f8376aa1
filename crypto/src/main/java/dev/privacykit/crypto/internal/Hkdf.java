package dev.privacykit.crypto.internal;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** HKDF-SHA256 (RFC 5869) through Bouncy Castle. Not API. */
public final class Hkdf {
  private Hkdf() {}

  /** Derives {@code length} bytes from {@code ikm} for the purpose named by {@code info}. */
  public static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
    HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
    generator.init(new HKDFParameters(ikm, salt, info));
    byte[] out = new byte[length];
    generator.generateBytes(out, 0, length);
    return out;
  }

  /** Derives {@code length} bytes with no salt and a UTF-8 info string. */
  public static byte[] derive(byte[] ikm, String info, int length) {
    return derive(ikm, null, info.getBytes(StandardCharsets.UTF_8), length);
  }
}
