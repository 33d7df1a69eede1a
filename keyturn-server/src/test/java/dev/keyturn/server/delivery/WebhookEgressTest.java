package dev.keyturn.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookEgressTest {
  private final WebhookEgress production = new WebhookEgress(false, InetAddress::getAllByName);

  @Test
  void internal_addresses_and_names_that_resolve_to_them_are_refused() {
    for (String url :
        List.of(
            "http://169.254.169.254/latest/meta-data/",
            "http://127.0.0.1:6379/",
            "http://[::1]/hook",
            "http://10.1.2.3/hook",
            "http://192.168.0.10/hook",
            "http://172.16.5.4/hook",
            "http://100.64.0.1/hook",
            "http://0.0.0.0/hook",
            "http://[fd00::1]/hook",
            "http://[::ffff:127.0.0.1]/hook",
            "http://localhost:8080/hook")) {
      assertThat(production.refusal(url)).as(url).get().asString().contains("internal address");
    }
  }

  @Test
  void credentials_in_the_url_are_refused_even_where_internal_addresses_are_allowed() {
    WebhookEgress onPrem = new WebhookEgress(true, InetAddress::getAllByName);
    assertThat(onPrem.refusal("http://user:pw@127.0.0.1/hook"))
        .get()
        .asString()
        .contains("credentials");
    assertThat(production.refusal("https://user:pw@203.0.113.10/hook")).isPresent();
    assertThat(onPrem.refusal("http://127.0.0.1:9000/hook")).isEmpty();
  }

  @Test
  void public_addresses_pass_and_other_schemes_do_not() {
    assertThat(production.refusal("https://203.0.113.10/hooks/keyturn")).isEmpty();
    assertThat(production.refusal("http://[2001:db8::1]/hook")).isEmpty();
    assertThat(production.refusal("ftp://203.0.113.10/hook")).isPresent();
    assertThat(production.refusal("/relative")).isPresent();
  }

  @Test
  void a_delivery_resolves_the_name_once_and_keeps_the_addresses_it_checked() throws Exception {
    InetAddress publicAddress = InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 10});
    InetAddress loopback = InetAddress.getLoopbackAddress();
    java.util.concurrent.atomic.AtomicInteger lookups =
        new java.util.concurrent.atomic.AtomicInteger();
    WebhookEgress rebinding =
        new WebhookEgress(
            false,
            host -> new InetAddress[] {lookups.getAndIncrement() == 0 ? publicAddress : loopback});

    WebhookEgress.Checked first = rebinding.destination("https://hooks.rebind.test/keyturn");
    assertThat(first)
        .isEqualTo(
            new WebhookEgress.Allowed(
                new WebhookEgress.Destination(
                    java.net.URI.create("https://hooks.rebind.test/keyturn"),
                    List.of(publicAddress))));
    assertThat(lookups).hasValue(1);
    assertThat(rebinding.destination("https://hooks.rebind.test/keyturn"))
        .isInstanceOf(WebhookEgress.Refused.class);
  }

  @Test
  void where_internal_addresses_are_allowed_a_delivery_is_still_pinned() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    WebhookEgress onPrem = new WebhookEgress(true, host -> new InetAddress[] {loopback});
    assertThat(onPrem.destination("http://receiver.internal.test:9000/hook"))
        .isEqualTo(
            new WebhookEgress.Allowed(
                new WebhookEgress.Destination(
                    java.net.URI.create("http://receiver.internal.test:9000/hook"),
                    List.of(loopback))));
    assertThat(
            new WebhookEgress(
                    true,
                    host -> {
                      throw new java.net.UnknownHostException(host);
                    })
                .destination("http://gone.internal.test/hook"))
        .isEqualTo(new WebhookEgress.Refused("the host 'gone.internal.test' does not resolve"));
  }
}
