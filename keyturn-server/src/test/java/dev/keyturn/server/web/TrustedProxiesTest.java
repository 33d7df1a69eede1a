package dev.keyturn.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  private final TrustedProxies proxies = new TrustedProxies("10.0.0.0/8, 192.168.1.5,fd00::/8");

  @Test
  void a_client_talking_to_the_server_directly_cannot_choose_its_address() {
    assertThat(proxies.clientAddress("203.0.113.7", List.of("198.51.100.1")))
        .isEqualTo("203.0.113.7");
    assertThat(new TrustedProxies("").clientAddress("10.1.2.3", List.of("198.51.100.1")))
        .isEqualTo("10.1.2.3");
  }

  @Test
  void behind_trusted_proxies_the_nearest_untrusted_hop_is_the_client() {
    // The client may prepend anything; each proxy appends the address it saw.
    assertThat(
            proxies.clientAddress(
                "10.0.0.2", List.of("1.2.3.4, 198.51.100.9", "192.168.1.5, 10.9.9.9")))
        .isEqualTo("198.51.100.9");
    assertThat(proxies.clientAddress("fd00::1", List.of("2001:db8::5"))).isEqualTo("2001:db8::5");
  }

  @Test
  void a_trusted_proxy_without_the_header_or_with_garbage_is_handled() {
    assertThat(proxies.clientAddress("10.0.0.2", List.of())).isEqualTo("10.0.0.2");
    assertThat(proxies.clientAddress("10.0.0.2", List.of("not-an-ip"))).isEqualTo("not-an-ip");
  }
}
