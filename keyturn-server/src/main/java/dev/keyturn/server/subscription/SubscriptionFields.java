package dev.keyturn.server.subscription;

import dev.keyturn.core.license.InstanceDomain;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.server.policy.Policies;
import dev.keyturn.server.web.Validator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The fields of a subscription that people edit (docs/design.md §6), as created and patched. {@link
 * #validated()} checks every rule at once and returns the normalized form that is stored.
 */
public record SubscriptionFields(
    String displayName,
    CustomerType customerType,
    String crmAccountId,
    String crmSubscriptionId,
    String instanceDomain,
    InstanceType instanceType,
    Contacts contacts,
    BillingCycle billingCycle,
    Boolean autoRenew,
    String stripeCustomerId,
    String stripeSubscriptionId,
    Instant paidThrough,
    Instant contractEnd,
    String policyPreset,
    String tier,
    Long seats,
    Map<String, Long> limits,
    List<String> features,
    Map<String, Capability> capabilities) {

  public static final String DEFAULT_POLICY = Policy.APPLIANCE.name();
  static final int MAX_ITEMS = 100;

  /**
   * Normalized, checking only the policy name's form: for a caller that hands the result to {@link
   * SubscriptionService}, which checks the policy exists.
   */
  public SubscriptionFields validated() {
    return validated(name -> true);
  }

  /**
   * Normalized (defaults filled in, domain normalized), or every rule broken, together.
   *
   * @param policyExists whether a policy of that name exists (the presets, or the vendor's own)
   */
  public SubscriptionFields validated(Predicate<String> policyExists) {
    Validator v = new Validator();
    v.text(displayName, "display_name", 200, true);
    v.check(customerType != null, "customer_type", "is required: CUSTOMER, INTERNAL or TRIAL");
    if (customerType == CustomerType.CUSTOMER) {
      v.check(
          crmAccountId != null && !crmAccountId.isBlank(),
          "crm_account_id",
          "is required for CUSTOMER subscriptions");
    }
    v.text(crmAccountId, "crm_account_id", 100, false);
    v.text(crmSubscriptionId, "crm_subscription_id", 100, false);
    v.text(stripeCustomerId, "stripe_customer_id", 100, false);
    v.text(stripeSubscriptionId, "stripe_subscription_id", 100, false);
    String domain = null;
    if (instanceDomain != null && !instanceDomain.isBlank()) {
      try {
        domain = InstanceDomain.normalize(instanceDomain);
      } catch (IllegalArgumentException e) {
        v.error("instance_domain", e.getMessage());
      }
    }
    Contacts c = contacts == null ? Contacts.NONE : contacts;
    v.check(c.adminEmails().size() <= MAX_ITEMS, "contacts.admin_emails", "too many addresses");
    v.check(c.billingEmails().size() <= MAX_ITEMS, "contacts.billing_emails", "too many addresses");
    for (int i = 0; i < c.adminEmails().size(); i++) {
      v.email(c.adminEmails().get(i), "contacts.admin_emails[" + i + "]");
    }
    for (int i = 0; i < c.billingEmails().size(); i++) {
      v.email(c.billingEmails().get(i), "contacts.billing_emails[" + i + "]");
    }
    String preset = policyPreset == null ? DEFAULT_POLICY : policyPreset;
    v.check(
        Policies.NAME.matcher(preset).matches() && policyExists.test(preset),
        "policy_preset",
        "'" + preset + "' is not a policy: appliance, subscription or one of GET /api/v1/policies");
    if (v.check(tier != null && !tier.isBlank(), "tier", "is required")) {
      v.name(tier, "tier");
    }
    long seatCount = seats == null ? 0 : seats;
    v.check(seatCount >= 0, "seats", "must be 0 (unlimited) or more, was " + seatCount);
    Map<String, Long> lim = limits == null ? Map.of() : limits;
    v.check(lim.size() <= MAX_ITEMS, "limits", "at most " + MAX_ITEMS + " limits");
    lim.forEach(
        (name, value) -> {
          v.name(name, "limits." + name);
          v.check(value != null && value >= 0, "limits." + name, "must be 0 or more, was " + value);
        });
    List<String> feat = features == null ? List.of() : features;
    v.check(feat.size() <= MAX_ITEMS, "features", "at most " + MAX_ITEMS + " features");
    for (int i = 0; i < feat.size(); i++) {
      v.name(feat.get(i), "features[" + i + "]");
    }
    v.check(feat.stream().distinct().count() == feat.size(), "features", "lists a feature twice");
    Map<String, Capability> caps = capabilities == null ? Map.of() : capabilities;
    v.check(caps.size() <= MAX_ITEMS, "capabilities", "at most " + MAX_ITEMS + " capabilities");
    caps.forEach(
        (name, cap) -> {
          v.name(name, "capabilities." + name);
          if (v.check(cap != null, "capabilities." + name, "must be an object")) {
            Long rate = cap.rateLimitPerMinute();
            v.check(
                rate == null || rate >= 1,
                "capabilities." + name + ".rate_limit_per_minute",
                "must be 1 or more, or null for the product's default, was " + rate);
          }
        });
    v.throwIfAny();
    return new SubscriptionFields(
        displayName.strip(),
        customerType,
        blankToNull(crmAccountId),
        blankToNull(crmSubscriptionId),
        domain,
        instanceType == null ? InstanceType.PRIMARY : instanceType,
        c,
        billingCycle == null ? BillingCycle.ANNUAL : billingCycle,
        autoRenew != null && autoRenew,
        blankToNull(stripeCustomerId),
        blankToNull(stripeSubscriptionId),
        paidThrough,
        contractEnd,
        preset,
        tier,
        seatCount,
        new TreeMap<>(lim),
        List.copyOf(feat),
        new TreeMap<>(caps));
  }

  /** These fields naming another policy (a new subscription's tier default). */
  public SubscriptionFields withPolicy(String policyName) {
    return new SubscriptionFields(
        displayName,
        customerType,
        crmAccountId,
        crmSubscriptionId,
        instanceDomain,
        instanceType,
        contacts,
        billingCycle,
        autoRenew,
        stripeCustomerId,
        stripeSubscriptionId,
        paidThrough,
        contractEnd,
        policyName,
        tier,
        seats,
        limits,
        features,
        capabilities);
  }

  /** These fields with another paid-through (a payment). */
  public SubscriptionFields withPaidThrough(Instant newPaidThrough) {
    return new SubscriptionFields(
        displayName,
        customerType,
        crmAccountId,
        crmSubscriptionId,
        instanceDomain,
        instanceType,
        contacts,
        billingCycle,
        autoRenew,
        stripeCustomerId,
        stripeSubscriptionId,
        newPaidThrough,
        contractEnd,
        policyPreset,
        tier,
        seats,
        limits,
        features,
        capabilities);
  }

  /** These fields with auto-renew turned on or off (a cancellation). */
  public SubscriptionFields withAutoRenew(boolean newAutoRenew) {
    return new SubscriptionFields(
        displayName,
        customerType,
        crmAccountId,
        crmSubscriptionId,
        instanceDomain,
        instanceType,
        contacts,
        billingCycle,
        newAutoRenew,
        stripeCustomerId,
        stripeSubscriptionId,
        paidThrough,
        contractEnd,
        policyPreset,
        tier,
        seats,
        limits,
        features,
        capabilities);
  }

  /** These fields with another grant (a plan change): tier, seats, limits and features. */
  public SubscriptionFields withGrant(
      String newTier, Long newSeats, Map<String, Long> newLimits, List<String> newFeatures) {
    return new SubscriptionFields(
        displayName,
        customerType,
        crmAccountId,
        crmSubscriptionId,
        instanceDomain,
        instanceType,
        contacts,
        billingCycle,
        autoRenew,
        stripeCustomerId,
        stripeSubscriptionId,
        paidThrough,
        contractEnd,
        policyPreset,
        newTier,
        newSeats,
        newLimits,
        newFeatures,
        capabilities);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
