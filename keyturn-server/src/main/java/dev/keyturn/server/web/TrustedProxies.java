package dev.keyturn.server.web;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The load balancers and reverse proxies whose {@code X-Forwarded-For} this server believes ({@code
 * KEYTURN_TRUSTED_PROXIES}: addresses or CIDRs, comma-separated). Nobody else's: a client can write
 * any {@code X-Forwarded-For} it likes, so without a trusted hop the header is ignored.
 */
public final class TrustedProxies {
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");
  private final List<IpAddressMatcher> proxies;

  public TrustedProxies(String cidrs) {
    this.proxies =
        cidrs == null || cidrs.isBlank()
            ? List.of()
            : Arrays.stream(cidrs.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(IpAddressMatcher::new)
                .toList();
  }

  public boolean trusts(String address) {
    if (!IP_LITERAL.matcher(address).matches()) {
      return false; // a name or garbage in a header: never looked up
    }
    try {
      return proxies.stream().anyMatch(p -> p.matches(address));
    } catch (IllegalArgumentException e) {
      return false; // not an IP address (a name, garbage in a header)
    }
  }

  /**
   * The client's address: the socket's peer, or, when that is a trusted proxy, the nearest address
   * in {@code X-Forwarded-For} (read from the right, as each proxy appends) that is not itself a
   * trusted proxy.
   */
  public String clientAddress(String peer, List<String> forwardedFor) {
    if (!trusts(peer)) {
      return peer;
    }
    String client = peer;
    List<String> hops =
        forwardedFor.stream()
            .flatMap(h -> Arrays.stream(h.split(",")))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList();
    for (int i = hops.size() - 1; i >= 0; i--) {
      client = hops.get(i);
      if (!trusts(client)) {
        return client;
      }
    }
    return client;
  }
}
