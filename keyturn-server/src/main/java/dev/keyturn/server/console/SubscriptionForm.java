package dev.keyturn.server.console;

import dev.keyturn.server.subscription.BillingCycle;
import dev.keyturn.server.subscription.Contacts;
import dev.keyturn.server.subscription.CustomerType;
import dev.keyturn.server.subscription.InstanceType;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.SubscriptionFields;
import dev.keyturn.server.web.Validator;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The subscription form as posted: text as typed, lists one per line or comma-separated, limits as
 * {@code name=value} lines. {@link #toFields} turns it into {@link SubscriptionFields}, which then
 * validate exactly as on the API. A field left out of the post (a disabled input, because the role
 * may not change it) is null and keeps the stored value.
 */
public record SubscriptionForm(
    String displayName,
    String customerType,
    String crmAccountId,
    String crmSubscriptionId,
    String instanceDomain,
    String instanceType,
    String adminEmails,
    String billingEmails,
    String billingCycle,
    String autoRenew,
    String stripeCustomerId,
    String stripeSubscriptionId,
    String contractEnd,
    String policyPreset,
    String tier,
    String seats,
    String limits,
    String features) {

  /** What a new subscription starts from: nothing, so the validation fills in the defaults. */
  private static final SubscriptionFields NOTHING =
      new SubscriptionFields(
          null,
          null,
          null,
          null,
          null,
          null,
          Contacts.NONE,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null);

  static SubscriptionForm blank() {
    return new SubscriptionForm(
        "",
        "CUSTOMER",
        "",
        "",
        "",
        "PRIMARY",
        "",
        "",
        "ANNUAL",
        "true",
        "",
        "",
        "",
        SubscriptionFields.DEFAULT_POLICY,
        "standard",
        "0",
        "",
        "");
  }

  static SubscriptionForm of(Subscription s) {
    return of(s.fields());
  }

  static SubscriptionForm of(SubscriptionFields f) {
    return new SubscriptionForm(
        f.displayName(),
        f.customerType().name(),
        nz(f.crmAccountId()),
        nz(f.crmSubscriptionId()),
        nz(f.instanceDomain()),
        f.instanceType().name(),
        String.join("\n", f.contacts().adminEmails()),
        String.join("\n", f.contacts().billingEmails()),
        f.billingCycle().name(),
        String.valueOf(f.autoRenew()),
        nz(f.stripeCustomerId()),
        nz(f.stripeSubscriptionId()),
        f.contractEnd() == null ? "" : Dates.day(f.contractEnd()),
        f.policyPreset(),
        f.tier(),
        String.valueOf(f.seats()),
        f.limits().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("\n")),
        String.join(", ", f.features()));
  }

  /**
   * The fields this form asks for, over {@code base} for what it leaves out (everything for a new
   * subscription: pass null). Unparseable text is a {@code ValidationException} naming the field.
   */
  SubscriptionFields toFields(SubscriptionFields base) {
    Validator v = new Validator();
    SubscriptionFields f = toFields(base != null ? base : NOTHING, v);
    v.throwIfAny();
    return f;
  }

  private SubscriptionFields toFields(SubscriptionFields b, Validator v) {
    Contacts contacts =
        new Contacts(
            adminEmails == null ? b.contacts().adminEmails() : list(adminEmails),
            billingEmails == null ? b.contacts().billingEmails() : list(billingEmails));
    return new SubscriptionFields(
        or(displayName, b.displayName()),
        customerType == null
            ? b.customerType()
            : parse(CustomerType.class, customerType, "customer_type", v),
        or(crmAccountId, b.crmAccountId()),
        or(crmSubscriptionId, b.crmSubscriptionId()),
        or(instanceDomain, b.instanceDomain()),
        instanceType == null
            ? b.instanceType()
            : parse(InstanceType.class, instanceType, "instance_type", v),
        contacts,
        billingCycle == null
            ? b.billingCycle()
            : parse(BillingCycle.class, billingCycle, "billing_cycle", v),
        autoRenew == null ? b.autoRenew() : Boolean.valueOf("true".equals(autoRenew)),
        or(stripeCustomerId, b.stripeCustomerId()),
        or(stripeSubscriptionId, b.stripeSubscriptionId()),
        b.paidThrough(),
        contractEnd == null ? b.contractEnd() : day(contractEnd, "contract_end", v),
        or(policyPreset, b.policyPreset()),
        or(tier, b.tier()),
        seats == null ? b.seats() : number(seats, "seats", v),
        limits == null ? b.limits() : limits(limits, v),
        features == null ? b.features() : list(features),
        b.capabilities());
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static String or(String value, String stored) {
    return value == null ? stored : value;
  }

  static List<String> list(String text) {
    return Arrays.stream(text.split("[,\\s]+"))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static <E extends Enum<E>> E parse(
      Class<E> type, String value, String field, Validator v) {
    try {
      return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      v.error(field, "'" + value + "' is not one of " + Arrays.toString(type.getEnumConstants()));
      return null;
    }
  }

  private static Long number(String value, String field, Validator v) {
    if (value.isBlank()) {
      return null;
    }
    try {
      return Long.valueOf(value.strip());
    } catch (NumberFormatException e) {
      v.error(field, "'" + value + "' is not a whole number");
      return null;
    }
  }

  /** A date as midnight UTC, the instant every console date input means. */
  static Instant day(String value, String field, Validator v) {
    if (value.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(value.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      v.error(field, "'" + value + "' is not a date like 2027-01-31");
      return null;
    }
  }

  private static Map<String, Long> limits(String text, Validator v) {
    Map<String, Long> limits = new LinkedHashMap<>();
    for (String line : text.split("[\\n,]")) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.split("=", 2);
      if (parts.length != 2) {
        v.error("limits", "'" + line.strip() + "' is not name=value");
        continue;
      }
      Long value = number(parts[1], "limits." + parts[0].strip(), v);
      limits.put(parts[0].strip(), value);
    }
    return limits;
  }
}
