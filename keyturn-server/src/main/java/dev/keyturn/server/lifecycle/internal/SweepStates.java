package dev.keyturn.server.lifecycle.internal;

import dev.keyturn.server.subscription.SubscriptionCreated;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The sweep's state of each subscription ({@code subscription_lifecycle}: when it next needs a
 * look, its current license and phase), a narrow table of the lifecycle's own. The row is made with
 * the subscription; the sweep's batches update it ({@link Transitions}).
 */
@Component
class SweepStates {
  private final JdbcClient jdbc;

  SweepStates(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @EventListener
  void onSubscriptionCreated(SubscriptionCreated created) {
    jdbc.sql("insert into subscription_lifecycle (subscription_id) values (?)")
        .param(created.subscriptionId())
        .update();
  }
}
