package dev.keyturn.server.delivery;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Where webhooks may go. A webhook URL is typed by an admin, but the server makes the request from
 * inside the network, so it must not become a way to reach internal services (a cloud metadata
 * address, a database on loopback): loopback, link-local, private, unique-local, carrier-grade NAT,
 * multicast and unspecified addresses are refused, and so are names that resolve to any of them,
 * unless {@code KEYTURN_WEBHOOKS_ALLOWPRIVATE=true} (tests and on-premises receivers). Credentials
 * in the URL are always refused (they would be stored and shown in clear). The check runs at
 * registration and again before each delivery, since a name may resolve elsewhere later. A delivery
 * resolves the name once ({@link #destination}) and connects only to the addresses it checked: a
 * DNS answer that changes between the check and the connection (DNS rebinding) reaches nothing.
 */
@Component
public class WebhookEgress {
  private final boolean allowPrivate;
  private final Resolver resolver;

  /** The system's resolver, unless the context holds another (tests). */
  @Autowired
  WebhookEgress(
      @Value("${keyturn.webhooks.allow-private:false}") boolean allowPrivate,
      ObjectProvider<Resolver> resolver) {
    this(allowPrivate, resolver.getIfAvailable(() -> InetAddress::getAllByName));
  }

  public WebhookEgress(boolean allowPrivate, Resolver resolver) {
    this.allowPrivate = allowPrivate;
    this.resolver = resolver;
  }

  /** Host name to addresses: the system's DNS on the server. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** Where one delivery may connect: the URL's host, pinned to the addresses that were checked. */
  public record Destination(URI uri, List<InetAddress> addresses) {
    public Destination {
      addresses = List.copyOf(addresses);
    }
  }

  /** What {@link #destination} found: a destination, or why there is none. */
  public sealed interface Checked {}

  public record Allowed(Destination destination) implements Checked {}

  public record Refused(String reason) implements Checked {}

  /**
   * For one delivery: the URL checked, its host resolved once, and every address checked. The
   * connection must go to these addresses only (resolving the name again could answer another).
   * With private addresses allowed the addresses are not judged, but still pinned.
   */
  public Checked destination(String url) {
    Optional<String> malformed = malformed(url);
    if (malformed.isPresent()) {
      return new Refused(malformed.get());
    }
    URI uri = URI.create(url);
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(uri.getHost());
    } catch (UnknownHostException e) {
      return new Refused("the host '" + uri.getHost() + "' does not resolve");
    }
    if (addresses.length == 0) {
      return new Refused("the host '" + uri.getHost() + "' does not resolve");
    }
    if (!allowPrivate) {
      Optional<String> internal = internalAmong(uri.getHost(), addresses);
      if (internal.isPresent()) {
        return new Refused(internal.get());
      }
    }
    return new Allowed(new Destination(uri, List.of(addresses)));
  }

  /**
   * Why this URL may not receive webhooks, or empty when it may: at registration. With private
   * addresses allowed the name is not resolved (an on-premises receiver may not be up yet).
   */
  public Optional<String> refusal(String url) {
    Optional<String> malformed = malformed(url);
    if (malformed.isPresent() || allowPrivate) {
      return malformed;
    }
    return destination(url) instanceof Refused r ? Optional.of(r.reason()) : Optional.empty();
  }

  private static Optional<String> malformed(String url) {
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
    return Optional.empty();
  }

  private static Optional<String> internalAmong(String host, InetAddress[] addresses) {
    for (InetAddress a : addresses) {
      if (internal(a)) {
        return Optional.of(
            "'"
                + host
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
