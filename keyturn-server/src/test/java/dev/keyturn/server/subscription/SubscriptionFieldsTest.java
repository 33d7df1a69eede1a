package dev.keyturn.server.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.server.web.ValidationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubscriptionFieldsTest {
  private static SubscriptionFields fields(CustomerType type, String crm, String domain) {
    return new SubscriptionFields(
        " Acme Corp ",
        type,
        crm,
        null,
        domain,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        "medium",
        null,
        Map.of("users", 10L),
        List.of("sso"),
        null);
  }

  @Test
  void fills_in_defaults_and_normalizes() {
    SubscriptionFields f =
        fields(CustomerType.CUSTOMER, " crm-1 ", "https://Tools.Acme.Example./x").validated();
    assertThat(f.displayName()).isEqualTo("Acme Corp");
    assertThat(f.crmAccountId()).isEqualTo("crm-1");
    assertThat(f.instanceDomain()).isEqualTo("tools.acme.example");
    assertThat(f.instanceType()).isEqualTo(InstanceType.PRIMARY);
    assertThat(f.billingCycle()).isEqualTo(BillingCycle.ANNUAL);
    assertThat(f.autoRenew()).isFalse();
    assertThat(f.policyPreset()).isEqualTo("appliance");
    assertThat(f.seats()).isZero();
    assertThat(f.contacts()).isEqualTo(Contacts.NONE);
    assertThat(f.capabilities()).isEmpty();
  }

  @Test
  void a_customer_subscription_needs_a_crm_account_but_a_trial_does_not() {
    assertThatThrownBy(() -> fields(CustomerType.CUSTOMER, " ", null).validated())
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("crm_account_id: is required for CUSTOMER subscriptions");
    assertThat(fields(CustomerType.TRIAL, null, null).validated().crmAccountId()).isNull();
  }
}
