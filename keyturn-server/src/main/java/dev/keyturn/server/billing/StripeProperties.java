package dev.keyturn.server.billing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Stripe settings ({@code keyturn.stripe.*}).
 *
 * @param webhookSecret the endpoint's signing secret ({@code whsec_…}); without it the webhook
 *     endpoint refuses every event
 * @param apiKey the secret API key for Billing Portal sessions
 * @param apiBase Stripe's API base URL (tests point it at a local server)
 * @param portalReturnUrl where the Billing Portal sends the customer back to
 * @param portalLinkSecret the key that signs the Billing Portal links in mails ({@code
 *     <keyturn.public-url>/billing/portal/{subscription}?sig=…}); when unset, a secret derived from
 *     the master key. Changing it invalidates the links in mails already sent.
 * @param tolerance seconds a signature's timestamp may lag the server clock
 * @param payloadRetention how long a processed event's payload is kept (its id is kept for good,
 *     for idempotence; events for unknown Stripe ids keep theirs until resolved)
 * @param prices what each Stripe price id grants
 */
@ConfigurationProperties("keyturn.stripe")
public record StripeProperties(
    String webhookSecret,
    String apiKey,
    String apiBase,
    String portalReturnUrl,
    String portalLinkSecret,
    Long tolerance,
    Duration payloadRetention,
    Map<String, Price> prices) {

  public static final Duration DEFAULT_PAYLOAD_RETENTION = Duration.ofDays(90);

  public StripeProperties {
    webhookSecret = blankToNull(webhookSecret);
    apiKey = blankToNull(apiKey);
    apiBase = blankToNull(apiBase);
    portalReturnUrl = blankToNull(portalReturnUrl);
    portalLinkSecret = blankToNull(portalLinkSecret);
    tolerance = tolerance == null ? 300L : tolerance;
    payloadRetention = payloadRetention == null ? DEFAULT_PAYLOAD_RETENTION : payloadRetention;
    if (payloadRetention.isNegative()) {
      throw new IllegalArgumentException(
          "keyturn.stripe.payload-retention must not be negative, was " + payloadRetention);
    }
    prices = prices == null ? Map.of() : Map.copyOf(prices);
  }

  /**
   * What a price grants. {@code rank} orders prices: moving to a higher rank (or to more seats at
   * the same rank) is an upgrade and takes effect at once; anything else waits for the next period.
   *
   * @param seats seats per unit of quantity; 0 means unlimited whatever the quantity
   */
  public record Price(
      String tier, Integer rank, Long seats, Map<String, Long> limits, List<String> features) {
    public Price {
      rank = rank == null ? 0 : rank;
      limits = limits == null ? null : Map.copyOf(limits);
      features = features == null ? null : List.copyOf(features);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
