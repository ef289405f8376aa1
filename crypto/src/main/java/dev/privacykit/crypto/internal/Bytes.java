package dev.privacykit.crypto.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/** Small byte helpers shared by the crypto code. Not API. */
public final class Bytes {
  private static final Base64.Encoder URL_ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();

  private Bytes() {}

  /** base64url without padding. */
  public static String toBase64Url(byte[] bytes) {
    return URL_ENCODER.encodeToString(bytes);
  }

  /**
   * Decodes base64url (padding optional).
   *
   * @throws IllegalArgumentException if the text is not base64url
   */
  public static byte[] fromBase64Url(String text) {
    return URL_DECODER.decode(text);
  }

  /** Lower-case hex. */
  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** Parses hex, ignoring spaces. */
  public static byte[] unhex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  /** Writes {@code value} big-endian at {@code offset}. */
  public static void putInt(byte[] out, int offset, int value) {
    out[offset] = (byte) (value >>> 24);
    out[offset + 1] = (byte) (value >>> 16);
    out[offset + 2] = (byte) (value >>> 8);
    out[offset + 3] = (byte) value;
  }

  /** Reads a big-endian int at {@code offset}. */
  public static int getInt(byte[] in, int offset) {
    return ((in[offset] & 0xff) << 24)
        | ((in[offset + 1] & 0xff) << 16)
        | ((in[offset + 2] & 0xff) << 8)
        | (in[offset + 3] & 0xff);
  }

  /** The key id as eight hex digits, as it appears in messages and tables. */
  public static String keyIdHex(int keyId) {
    return String.format("%08x", keyId);
  }

  /**
   * A canonical, unambiguous encoding of a list of strings: a label, then each part as a 4-byte
   * big-endian length and its UTF-8 bytes, so that no two different lists encode alike.
   */
  public static byte[] canonical(String label, String... parts) {
    byte[][] encoded = new byte[parts.length + 1][];
    encoded[0] = label.getBytes(StandardCharsets.UTF_8);
    int length = 4 + encoded[0].length;
    for (int i = 0; i < parts.length; i++) {
      encoded[i + 1] = parts[i] == null ? null : parts[i].getBytes(StandardCharsets.UTF_8);
      length += 4 + (encoded[i + 1] == null ? 0 : encoded[i + 1].length);
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : encoded) {
      // a null part is encoded as length -1, distinct from the empty string
      putInt(out, at, part == null ? -1 : part.length);
      at += 4;
      if (part != null) {
        System.arraycopy(part, 0, out, at, part.length);
        at += part.length;
      }
    }
    return out;
  }
}
