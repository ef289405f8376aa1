package dev.privacykit.consent;

/**
 * Parses an IP address literal (IPv4 dotted quad, IPv6 with {@code ::} and an optional IPv4 tail)
 * without ever asking a resolver: {@code InetAddress.getByName} would look a name up in DNS, and
 * nothing in request handling may. Stateless.
 */
final class IpLiteral {
  private IpLiteral() {}

  /**
   * The address's bytes (4 or 16; an IPv4-mapped IPv6 address gives its 4 IPv4 bytes), or null when
   * {@code text} is not an IP literal.
   */
  static byte[] parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 45) {
      return null;
    }
    if (text.indexOf(':') < 0) {
      return ipv4(text);
    }
    byte[] v6 = ipv6(text);
    if (v6 != null && isIpv4Mapped(v6)) {
      return java.util.Arrays.copyOfRange(v6, 12, 16);
    }
    return v6;
  }

  private static boolean isIpv4Mapped(byte[] address) {
    for (int i = 0; i < 10; i++) {
      if (address[i] != 0) {
        return false;
      }
    }
    return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
  }

  private static byte[] ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
        return null;
      }
      int value = 0;
      for (int j = 0; j < part.length(); j++) {
        char c = part.charAt(j);
        if (c < '0' || c > '9') {
          return null;
        }
        value = value * 10 + (c - '0');
      }
      if (value > 255) {
        return null;
      }
      out[i] = (byte) value;
    }
    return out;
  }

  private static byte[] ipv6(String text) {
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    byte[] out = new byte[16];
    String head = gap >= 0 ? text.substring(0, gap) : text;
    String tail = gap >= 0 ? text.substring(gap + 2) : "";
    byte[] headBytes = groups(head, gap < 0);
    byte[] tailBytes = gap >= 0 ? groups(tail, true) : new byte[0];
    if (headBytes == null || tailBytes == null) {
      return null;
    }
    if (gap < 0 ? headBytes.length != 16 : headBytes.length + tailBytes.length > 14) {
      return null;
    }
    System.arraycopy(headBytes, 0, out, 0, headBytes.length);
    System.arraycopy(tailBytes, 0, out, 16 - tailBytes.length, tailBytes.length);
    return out;
  }

  /** Colon-separated hex groups, the last of which may be an IPv4 tail when allowed. */
  private static byte[] groups(String text, boolean ipv4TailAllowed) {
    if (text.isEmpty()) {
      return new byte[0];
    }
    String[] parts = text.split(":", -1);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (i == parts.length - 1 && ipv4TailAllowed && part.indexOf('.') >= 0) {
        byte[] v4 = ipv4(part);
        if (v4 == null) {
          return null;
        }
        out.writeBytes(v4);
        continue;
      }
      if (part.isEmpty() || part.length() > 4) {
        return null;
      }
      int value = 0;
      for (int j = 0; j < part.length(); j++) {
        int digit = Character.digit(part.charAt(j), 16);
        if (digit < 0) {
          return null;
        }
        value = value * 16 + digit;
      }
      out.write(value >> 8);
      out.write(value & 0xff);
    }
    return out.toByteArray();
  }
}
