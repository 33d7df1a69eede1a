package dev.keyturn.server.billing;

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
 * @param portalLinkBase this server's public URL: reminder mails then carry a signed link to {@code
 *     /billing/portal/{subscription}} that opens a fresh Billing Portal session on click
 * @param portalLinkSecret the key of those links' signatures (the webhook secret when unset)
 * @param tolerance seconds a signature's timestamp may lag the server clock
 * @param prices what each Stripe price id grants
 */
@ConfigurationProperties("keyturn.stripe")
public record StripeProperties(
    String webhookSecret,
    String apiKey,
    String apiBase,
    String portalReturnUrl,
    String portalLinkBase,
    String portalLinkSecret,
    Long tolerance,
    Map<String, Price> prices) {

  public StripeProperties {
    webhookSecret = blankToNull(webhookSecret);
    apiKey = blankToNull(apiKey);
    apiBase = blankToNull(apiBase);
    portalReturnUrl = blankToNull(portalReturnUrl);
    portalLinkBase = blankToNull(portalLinkBase);
    portalLinkBase = portalLinkBase == null ? null : portalLinkBase.replaceAll("/+$", "");
    portalLinkSecret = blankToNull(portalLinkSecret);
    portalLinkSecret = portalLinkSecret == null ? webhookSecret : portalLinkSecret;
    tolerance = tolerance == null ? 300L : tolerance;
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
