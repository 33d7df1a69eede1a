package dev.keyturn.server.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.jdbc.Hashes;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.ServerTest;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The sign-in pieces on a real database: tokens, limits, and who is a contact of what. */
abstract class SignInTests extends ServerTest {
  @Autowired SignInTokens tokens;
  @Autowired SignInLimiter limiter;
  @Autowired SignInLinks links;
  @Autowired ContactDirectory contacts;
  @Autowired JdbcClient jdbc;

  private static String unique(String local) {
    return local + "-" + UUID.randomUUID().toString().substring(0, 8) + "@signin.example";
  }

  private String subscriptionOf(String name, List<String> admins, List<String> billing) {
    Map<String, Object> body = subscription(name);
    body.put("contacts", Map.of("admin_emails", admins, "billing_emails", billing));
    return as(Role.SALES).post("/api/v1/subscriptions", body).field("id");
  }

  @Test
  void a_token_is_256_random_bits_stored_only_as_its_hash() {
    String email = unique("hash");
    String token = tokens.issue(email);
    assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(tokens.issue(email));
    List<String> stored =
        jdbc.sql("select token_hash from portal_sign_in_tokens where email = ?")
            .param(email)
            .query(String.class)
            .list();
    assertThat(stored).contains(Hashes.sha256Hex(token)).doesNotContain(token);
  }

  @Test
  void a_token_signs_in_once() {
    String email = unique("once");
    String token = tokens.issue(email);
    assertThat(tokens.redeem(token)).contains(email);
    assertThat(tokens.redeem(token)).isEmpty();
    assertThat(tokens.redeem("")).isEmpty();
    assertThat(tokens.redeem(token + "x")).isEmpty();
  }

  @Test
  void a_token_expires_after_its_lifetime_on_the_server_clock() {
    String email = unique("late");
    String fresh = tokens.issue(email);
    String stale = tokens.issue(email);
    ((TestClock) clock).advance(SignInTokens.LIFETIME.minusSeconds(1));
    assertThat(tokens.redeem(fresh)).contains(email);
    ((TestClock) clock).advance(Duration.ofSeconds(1));
    assertThat(tokens.redeem(stale)).isEmpty();
  }

  @Test
  void the_limits_count_per_address_and_client_per_address_and_per_network() {
    String email = unique("limit");
    for (int i = 0; i < SignInLimiter.PER_ADDRESS_AND_CLIENT; i++) {
      limiter.acquire(email, "192.0.2.1");
    }
    assertThatThrownBy(() -> limiter.acquire(email, "192.0.2.1"))
        .isInstanceOfSatisfying(
            KeyturnServerException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED));
    // That client used up only its own share: the contact still gets a link from elsewhere.
    limiter.acquire(email, "192.0.2.2");
    for (int i = SignInLimiter.PER_ADDRESS_AND_CLIENT + 1; i < SignInLimiter.PER_ADDRESS; i++) {
      limiter.acquire(email, "192.0.2." + (10 + i));
    }
    assertThatThrownBy(() -> limiter.acquire(email, "192.0.2.250"))
        .isInstanceOf(KeyturnServerException.class);

    String ip = "198.51.100." + (int) (Math.random() * 250);
    String prefix = UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < SignInLimiter.PER_IP; i++) {
      limiter.acquire(prefix + i + "@probe.example", ip);
    }
    assertThatThrownBy(() -> limiter.acquire(prefix + "last@probe.example", ip))
        .isInstanceOf(KeyturnServerException.class)
        .hasMessageContaining("Too many sign-in links");
  }

  @Test
  void contacts_are_matched_exactly_whatever_the_case_admin_or_billing() {
    String admin = unique("Ops_Admin");
    String billing = unique("pay");
    String sub = subscriptionOf("Directory Corp", List.of(admin), List.of(billing));
    assertThat(contacts.subscriptionsOf(admin.toUpperCase()))
        .extracting(s -> s.id())
        .containsExactly(sub);
    assertThat(contacts.subscriptionsOf(billing)).extracting(s -> s.id()).containsExactly(sub);
    // "_" is no wildcard, and a part of an address is not the address.
    assertThat(contacts.subscriptionsOf(admin.replace('_', 'x'))).isEmpty();
    assertThat(contacts.subscriptionsOf(admin.substring(1))).isEmpty();
  }

  @Test
  void a_link_is_mailed_to_a_contact_only() {
    String known = unique("known");
    String sub = subscriptionOf("Mailed Corp", List.of(known), List.of());
    links.request(known, "203.0.113.1");
    String unknown = unique("unknown");
    links.request(unknown, "203.0.113.1");
    List<String> mailed =
        jdbc.sql(
                "select target from outbox where event_type = 'portal.sign_in_link' and target in"
                    + " (?, ?)")
            .params(known, unknown)
            .query(String.class)
            .list();
    assertThat(mailed).containsExactly(known);
    assertThat(
            jdbc.sql("select count(*) from portal_sign_in_tokens where email = ?")
                .param(unknown)
                .query(Long.class)
                .single())
        .isZero();
    assertThat(admin().get("/api/v1/events?subscription_id=" + sub).json().toString())
        .contains("portal.sign_in_link_sent")
        .contains("contact:" + known);
  }
}
