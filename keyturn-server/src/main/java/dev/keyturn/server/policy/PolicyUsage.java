package dev.keyturn.server.policy;

import java.util.List;

/**
 * Which subscriptions use a policy; implemented by the subscription module (which owns {@code
 * subscriptions}), so a policy in use is never deleted from under them.
 */
public interface PolicyUsage {
  /** The ids of the subscriptions (archived ones too) that name the policy. */
  List<String> subscriptionsUsing(String policyName);
}
