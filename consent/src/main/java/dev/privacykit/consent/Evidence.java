package dev.privacykit.consent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;

/**
 * How a consent change can be proven later, minimised: the IP address is truncated (IPv4 to /24,
 * IPv6 to /48) and the user agent is kept only as a hash.
 *
 * @param collectedAt when the subject acted (may be earlier than when the ledger received it)
 * @param channel where (such as {@code web}, {@code app}, {@code call-centre}), or null
 * @param ipTruncated the truncated IP address, or null
 * @param userAgentHash the first 16 bytes of SHA-256 of the user agent, in hex, or null
 * @param uiVersion the version of the form or screen shown, or null
 */
public record Evidence(
    Instant collectedAt,
    String channel,
    String ipTruncated,
    String userAgentHash,
    String uiVersion) {

  /** Checks the values. */
  public Evidence {
    Objects.requireNonNull(collectedAt, "collectedAt");
    collectedAt = collectedAt.truncatedTo(ChronoUnit.MICROS);
    check("channel", channel);
    check("uiVersion", uiVersion);
  }

  /** Evidence from raw request facts; the IP is truncated and the user agent hashed here. */
  public static Evidence of(
      Instant collectedAt, String channel, String ipAddress, String userAgent, String uiVersion) {
    return new Evidence(collectedAt, channel, truncate(ipAddress), hash(userAgent), uiVersion);
  }

  /** Evidence with only a time, for changes made by a system (imports, expiry). */
  public static Evidence at(Instant collectedAt) {
    return new Evidence(collectedAt, null, null, null, null);
  }

  static String truncate(String ip) {
    if (ip == null || ip.isBlank()) {
      return null;
    }
    // A literal only: parsed here, never resolved, so no request can make the service ask DNS.
    byte[] address = IpLiteral.parse(ip.strip());
    if (address == null) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_EVIDENCE,
          "evidence/ip_address",
          "ipAddress is not a literal IPv4 or IPv6 address");
    }
    int keep = address.length == 4 ? 3 : 6;
    for (int i = keep; i < address.length; i++) {
      address[i] = 0;
    }
    try {
      String text = InetAddress.getByAddress(address).getHostAddress();
      return text + (address.length == 4 ? "/24" : "/48");
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  static String hash(String userAgent) {
    if (userAgent == null || userAgent.isBlank()) {
      return null;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(userAgent.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void check(String name, String value) {
    if (value != null && (value.isBlank() || value.length() > 64)) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_EVIDENCE, name + " must be 1 to 64 characters");
    }
  }
}
