package dev.keyturn.server.subscription.internal;

import dev.keyturn.server.policy.PolicyUsage;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Which subscriptions name a policy, for the policy module (which may not read them itself). */
@Component
class SubscriptionPolicyUsage implements PolicyUsage {
  private final JdbcClient jdbc;

  SubscriptionPolicyUsage(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public List<String> subscriptionsUsing(String policyName) {
    return jdbc.sql("select id from subscriptions where policy_preset = ? order by id")
        .param(policyName)
        .query(String.class)
        .list();
  }
}
