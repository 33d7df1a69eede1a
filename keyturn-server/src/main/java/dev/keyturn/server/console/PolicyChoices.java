package dev.keyturn.server.console;

import dev.keyturn.server.policy.Policies;
import dev.keyturn.server.policy.StoredPolicy;
import java.util.List;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** The policies a subscription's form offers: the presets and the vendor's own, by name. */
@ControllerAdvice(
    assignableTypes = {SubscriptionsController.class, SubscriptionDetailController.class})
class PolicyChoices {
  private final Policies policies;

  PolicyChoices(Policies policies) {
    this.policies = policies;
  }

  @ModelAttribute("policyNames")
  List<String> policyNames() {
    return policies.all().stream().map(StoredPolicy::name).toList();
  }
}
