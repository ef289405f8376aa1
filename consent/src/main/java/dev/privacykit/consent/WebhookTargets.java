package dev.privacykit.consent;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Where webhooks may be delivered: public addresses only. A recipient URL is refused when its host
 * resolves to a loopback, link-local, private, carrier-grade NAT, unique-local, multicast, reserved
 * or unspecified address (IPv4 and IPv6, IPv4-mapped and NAT64 forms included), so a tenant cannot
 * make the service call into its own network. Checked at registration and again before every
 * delivery (a name that resolves elsewhere later, DNS rebinding, is refused then). Stateless.
 */
final class WebhookTargets {
  private WebhookTargets() {}

  /**
   * Checks a registration: an https URL (http only when allowed) that {@link #check} accepts, and
   * known event types (all the notice types for a webhook standing for a policy recipient).
   *
   * @throws ConsentException {@code invalid-field} naming {@code url} or {@code events}
   */
  static void checkRegistration(
      URI url, java.util.Set<String> events, WebhooksConfig config, boolean standsForRecipient) {
    String scheme = url.getScheme() == null ? "" : url.getScheme();
    if (!(scheme.equals("https") || (scheme.equals("http") && config.allowPlainHttp))
        || url.getHost() == null) {
      throw refused("url must be an absolute https:// URL");
    }
    check(url, config.allowPrivateTargets);
    if (events.isEmpty() || !Outbox.TYPES.containsAll(events)) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD, "events must be some of " + Outbox.TYPES);
    }
    if (standsForRecipient) {
      RecipientLinks.checkEvents(events);
    }
  }

  /**
   * Checks a recipient URL's form (absolute, no user info, a port in range) and, unless {@code
   * allowPrivate}, that every address its host resolves to is public.
   *
   * @throws ConsentException {@code invalid-field} naming {@code url}
   */
  static void check(URI url, boolean allowPrivate) {
    if (url.getHost() == null || url.getRawUserInfo() != null) {
      throw refused("url must be an absolute URL without user info");
    }
    int port = url.getPort();
    if (port != -1 && (port < 1 || port > 65_535)) {
      throw refused("url has a port outside 1 to 65535");
    }
    if (allowPrivate) {
      return;
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(url.getHost());
    } catch (UnknownHostException e) {
      throw refused("url's host does not resolve");
    }
    for (InetAddress address : addresses) {
      if (!isPublic(address)) {
        throw refused("url's host resolves to a private, loopback or reserved address");
      }
    }
  }

  /** Whether the service may send to {@code address}. */
  static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress()
        || address.isLoopbackAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return isPublicIpv4(b);
    }
    if (address instanceof Inet6Address) {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) {
        return false; // unique local fc00::/7
      }
      if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        return isPublicIpv4(tail(b)); // IPv4-mapped
      }
      if (allZero(b, 0, 12)) {
        return false; // IPv4-compatible and the other ::/96 forms
      }
      if (first == 0x00
          && (b[1] & 0xff) == 0x64
          && (b[2] & 0xff) == 0xff
          && (b[3] & 0xff) == 0x9b) {
        return isPublicIpv4(tail(b)); // NAT64 64:ff9b::/96
      }
      if (first == 0x20 && (b[1] & 0xff) == 0x02) {
        return isPublicIpv4(new byte[] {b[2], b[3], b[4], b[5]}); // 6to4 2002::/16
      }
      return true;
    }
    return false;
  }

  private static boolean isPublicIpv4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    return !(a0 == 0 // this network
        || a0 == 10 // private
        || a0 == 127 // loopback
        || (a0 == 100 && a1 >= 64 && a1 <= 127) // carrier-grade NAT
        || (a0 == 169 && a1 == 254) // link-local
        || (a0 == 172 && a1 >= 16 && a1 <= 31) // private
        || (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
        || (a0 == 192 && a1 == 168) // private
        || (a0 == 198 && (a1 == 18 || a1 == 19)) // benchmarking
        || a0 >= 224); // multicast, reserved, broadcast
  }

  private static byte[] tail(byte[] b) {
    return new byte[] {b[12], b[13], b[14], b[15]};
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static ConsentException refused(String message) {
    return new ConsentException(ConsentException.Kind.INVALID_FIELD, "url", message);
  }
}
