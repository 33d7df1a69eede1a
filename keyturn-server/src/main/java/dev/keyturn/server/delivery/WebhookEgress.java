package dev.keyturn.server.delivery;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Where webhooks may go. A webhook URL is typed by an admin, but the server makes the request from
 * inside the network, so it must not become a way to reach internal services (a cloud metadata
 * address, a database on loopback): loopback, link-local, private, unique-local, carrier-grade NAT,
 * multicast and unspecified addresses are refused, and so are names that resolve to any of them,
 * unless {@code KEYTURN_WEBHOOKS_ALLOWPRIVATE=true} (tests and on-premises receivers). Credentials
 * in the URL are always refused (they would be stored and shown in clear). The check runs at
 * registration and again before each delivery, since a name may resolve elsewhere later (DNS
 * rebinding); the request then goes out within the JVM's DNS cache time of the check, so it reaches
 * the address that was checked.
 */
@Component
public class WebhookEgress {
  private final boolean allowPrivate;

  public WebhookEgress(@Value("${keyturn.webhooks.allow-private:false}") boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  /** Why this URL may not receive webhooks, or empty when it may. */
  public Optional<String> refusal(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return Optional.of("not a URL");
    }
    if (!uri.isAbsolute()
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      return Optional.of("an absolute http(s) URL");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of("credentials in the URL are not allowed; use the endpoint's secret");
    }
    if (allowPrivate) {
      return Optional.empty();
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(uri.getHost());
    } catch (UnknownHostException e) {
      return Optional.of("the host '" + uri.getHost() + "' does not resolve");
    }
    for (InetAddress a : addresses) {
      if (internal(a)) {
        return Optional.of(
            "'"
                + uri.getHost()
                + "' is an internal address ("
                + a.getHostAddress()
                + "); webhooks go to public addresses only (KEYTURN_WEBHOOKS_ALLOWPRIVATE=true"
                + " allows internal ones, for on-premises receivers)");
      }
    }
    return Optional.empty();
  }

  static boolean internal(InetAddress a) {
    if (a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isAnyLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (b.length == 4) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 // "this network"
          || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
          || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
          || first >= 240; // reserved, broadcast
    }
    // IPv6 unique local fc00::/7, and IPv4-mapped addresses judged as IPv4
    if ((b[0] & 0xfe) == 0xfc) {
      return true;
    }
    boolean mapped = true;
    for (int i = 0; i < 10; i++) {
      mapped &= b[i] == 0;
    }
    if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      try {
        return internal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
      } catch (UnknownHostException e) {
        return true;
      }
    }
    return false;
  }
}
