package dev.keyturn.server.billing.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reading the fields billing needs from Stripe's JSON. The raw event JSON is read rather than
 * stripe-java's typed objects because their shape follows the account's API version (the invoice's
 * subscription moved from {@code subscription} to {@code parent.subscription_details.subscription}
 * in 2025); both shapes are understood here.
 */
final class StripeObjects {
  /** Currencies Stripe counts in whole units (its "zero-decimal currencies"). */
  private static final Set<String> ZERO_DECIMAL =
      Set.of(
          "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv",
          "xaf", "xof", "xpf");

  private StripeObjects() {}

  /** An id, whether the field holds it or an expanded object with an {@code id}. */
  static String id(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return null;
    }
    if (n.isObject()) {
      return text(n.get("id"));
    }
    return text(n);
  }

  static String text(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull() ? null : n.asString();
  }

  static String invoiceSubscription(JsonNode invoice) {
    String legacy = id(invoice.get("subscription"));
    return legacy != null
        ? legacy
        : id(invoice.path("parent").path("subscription_details").get("subscription"));
  }

  /**
   * The end of the subscription period the invoice pays: the latest {@code period.end} of its
   * subscription lines (proration lines end with the period too), else of any line.
   */
  static Instant invoicePeriodEnd(JsonNode invoice) {
    long subscriptionEnd = 0;
    long anyEnd = 0;
    for (JsonNode line : invoice.path("lines").path("data")) {
      long end = line.path("period").path("end").asLong(0);
      anyEnd = Math.max(anyEnd, end);
      boolean subscriptionLine =
          "subscription".equals(text(line.get("type")))
              || "subscription_item_details".equals(text(line.path("parent").get("type")))
              || line.path("parent").has("subscription_item_details")
              || line.has("subscription_item");
      if (subscriptionLine) {
        subscriptionEnd = Math.max(subscriptionEnd, end);
      }
    }
    long end = subscriptionEnd > 0 ? subscriptionEnd : anyEnd;
    return end > 0 ? Instant.ofEpochSecond(end) : null;
  }

  /** "120.00 EUR" from Stripe's minor units, or null without an amount. */
  static String amount(JsonNode invoice) {
    JsonNode paid = invoice.get("amount_paid");
    String currency = text(invoice.get("currency"));
    if (paid == null || !paid.isNumber() || currency == null) {
      return null;
    }
    String c = currency.toLowerCase(Locale.ROOT);
    int scale = ZERO_DECIMAL.contains(c) ? 0 : 2;
    return BigDecimal.valueOf(paid.asLong(), scale).toPlainString()
        + " "
        + c.toUpperCase(Locale.ROOT);
  }
}
