package dev.keyturn.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.delivery.internal.ExpiredLinkPurge;
import dev.keyturn.server.support.ConsoleSession;
import dev.keyturn.server.support.ServerTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A sign-in link's raw token leaves the stored mail and its outbox row once it is long dead. */
abstract class SignInLinkPurgeTests extends ServerTest {
  @Autowired DeliveryWorker deliveries;
  @Autowired JdbcClient jdbc;
  @Autowired ExpiredLinkPurge purge;

  @Test
  void the_token_is_purged_from_the_stored_mail_after_it_expired() {
    String email = "purge-" + System.nanoTime() + "@purge.example";
    Map<String, Object> body = subscription("Purge Corp " + System.nanoTime());
    body.put("contacts", Map.of("admin_emails", List.of(email), "billing_emails", List.of()));
    createSubscriptionWith(body);
    ConsoleSession browser = ConsoleSession.anonymous(port);
    String csrf = browser.csrfOf("/portal");
    browser.post("/portal/sign-in-link", Map.of("email", email, "_csrf", csrf));
    deliveries.runMails();
    assertThat(stored(email)).contains("token=").doesNotContain("[hidden");

    ((TestClock) clock).advance(ExpiredLinkPurge.AFTER.plusMinutes(1));
    deliveries.runMails();

    assertThat(stored(email))
        .contains("token=[hidden: one-time link]")
        .doesNotContainPattern("token=[A-Za-z0-9_-]{16,}");
    assertThat(
            jdbc.sql(
                    "select count(*) from mail_link_masks where outbox_id in (select id from"
                        + " outbox where target = ?)")
                .param(email)
                .query(Long.class)
                .single())
        .as("nothing left to mask")
        .isZero();
  }

  @Test
  void a_link_still_waiting_to_go_out_keeps_its_token_until_it_has_gone() {
    String email = "waiting-" + System.nanoTime() + "@purge.example";
    Map<String, Object> body = subscription("Waiting Corp " + System.nanoTime());
    body.put("contacts", Map.of("admin_emails", List.of(email), "billing_emails", List.of()));
    createSubscriptionWith(body);
    ConsoleSession browser = ConsoleSession.anonymous(port);
    browser.post(
        "/portal/sign-in-link", Map.of("email", email, "_csrf", browser.csrfOf("/portal")));
    ((TestClock) clock).advance(ExpiredLinkPurge.AFTER.plusMinutes(1));
    // Not delivered yet: the purge leaves the mail alone, and the run that sends it masks it.
    assertThat(purge.purge(clock.instant())).isZero();
    assertThat(stored(email)).doesNotContain("[hidden");

    deliveries.runMails();

    assertThat(stored(email)).contains("token=[hidden: one-time link]");
  }

  private void createSubscriptionWith(Map<String, Object> body) {
    assertThat(
            as(dev.keyturn.server.security.Role.SALES).post("/api/v1/subscriptions", body).status())
        .isEqualTo(201);
  }

  /** The stored mails to the address: their outbox rows, which the mail log reads. */
  private String stored(String email) {
    return String.join(
        "\n",
        jdbc.sql("select payload from outbox where kind = 'MAIL' and target = ?")
            .param(email)
            .query(String.class)
            .list());
  }
}
