package dev.keyturn.server.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.config.KeyturnProperties;
import dev.keyturn.server.delivery.MailRedaction;
import dev.keyturn.server.signingkey.MasterKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Billing-portal links in mails: signed, expiring, ended by a new secret, hidden from staff. */
class PortalLinksTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final Pattern LINK =
      Pattern.compile("/billing/portal/(?<sub>[^?]+)\\?sig=(?<sig>[0-9a-f]+)&exp=(?<exp>\\d+)$");

  private final TestClock clock = new TestClock(Clock.fixed(T0, ZoneOffset.UTC));
  private final MasterKey master = new MasterKey(MasterKey.generate());

  private PortalLinks links(String secret, Duration lifetime) {
    return new PortalLinks(
        new StripeProperties(null, null, null, null, secret, null, null, null),
        new KeyturnProperties(
            null, null, null, null, null, null, "https://licenses.vendor.example"),
        master,
        clock,
        lifetime);
  }

  private static boolean opens(PortalLinks links, String url) {
    Matcher m = LINK.matcher(url);
    assertThat(m.find()).as(url).isTrue();
    return links.valid(m.group("sub"), m.group("sig"), Long.parseLong(m.group("exp")));
  }

  @Test
  void rotating_the_link_secret_ends_every_link_made_before() {
    PortalLinks before = links("link-secret-of-2026", PortalLinks.LIFETIME);
    String mailed = before.url("sub_rotated");
    assertThat(opens(before, mailed)).isTrue();

    PortalLinks after = links("link-secret-of-2027", PortalLinks.LIFETIME);
    assertThat(opens(after, mailed)).isFalse();
    assertThat(opens(links(null, PortalLinks.LIFETIME), mailed))
        .as("nor does the master key's derived secret open it")
        .isFalse();
    assertThat(opens(after, after.url("sub_rotated"))).isTrue();
  }

  @Test
  void a_configured_lifetime_ends_a_link_at_that_age() {
    PortalLinks links = links(null, Duration.ofDays(30));
    String mailed = links.url("sub_lifetime");

    clock.advance(Duration.ofDays(30).minusSeconds(1));
    assertThat(opens(links, mailed)).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(opens(links, mailed)).isFalse();
  }

  @Test
  void a_link_for_one_subscription_opens_no_other() {
    PortalLinks links = links(null, PortalLinks.LIFETIME);
    Matcher m = LINK.matcher(links.url("sub_one"));
    assertThat(m.find()).isTrue();
    assertThat(links.valid("sub_two", m.group("sig"), Long.parseLong(m.group("exp")))).isFalse();
  }

  @Test
  void staff_reading_the_mail_log_see_no_link_signature() {
    String mailed = links(null, PortalLinks.LIFETIME).url("sub_masked");
    String sig = mailed.replaceAll(".*sig=([0-9a-f]+).*", "$1");
    String text = "Update your card: " + mailed + "\nThanks.";

    String forStaff = MailRedaction.mask(text);
    assertThat(forStaff)
        .doesNotContain(sig)
        .contains("/billing/portal/sub_masked?sig=" + MailRedaction.MASK + "&exp=");
  }
}
