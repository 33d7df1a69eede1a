package dev.keyturn.server.billing;

import dev.keyturn.server.config.KeyturnProperties;
import dev.keyturn.server.notify.BillingLinks;
import dev.keyturn.server.signingkey.MasterKey;
import dev.keyturn.server.subscription.Subscription;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Links in mails that open a Billing Portal session when clicked. Stripe's sessions expire within
 * minutes, so a mail read days later carries a link to this server instead, signed so that only the
 * subscription it names can be opened with it, and only until it expires ({@link #LIFETIME} after
 * the mail, or {@code keyturn.stripe.portal-link-lifetime}). Rotating the link secret ends every
 * link made before. Making the link calls nothing, so a mail can be written inside any transaction.
 */
@Component
public class PortalLinks implements BillingLinks {
  /** Keeps the derived secret apart from every other use of the master key. */
  static final String SECRET_LABEL = "billing-portal-link";

  public static final Duration LIFETIME = Duration.ofDays(45);

  private final StripeProperties stripe;
  private final String base;
  private final SecretKeySpec secret;
  private final Clock clock;
  private final Duration lifetime;

  PortalLinks(
      StripeProperties stripe,
      KeyturnProperties server,
      MasterKey masterKey,
      Clock clock,
      @Value("${keyturn.stripe.portal-link-lifetime:P45D}") Duration lifetime) {
    this.stripe = stripe;
    this.clock = clock;
    this.lifetime = lifetime;
    this.base = server.publicUrl();
    byte[] key =
        stripe.portalLinkSecret() == null
            ? masterKey.derive(SECRET_LABEL)
            : stripe.portalLinkSecret().getBytes(StandardCharsets.UTF_8);
    this.secret = new SecretKeySpec(key, "HmacSHA256");
  }

  /**
   * The link for the subscription's mails, when it pays through Stripe and Stripe's API is set up
   * (otherwise the link could only lead to an apology).
   */
  @Override
  public Optional<String> link(Subscription s) {
    if (stripe.apiKey() == null || s.fields().stripeCustomerId() == null) {
      return Optional.empty();
    }
    return Optional.of(url(s.id()));
  }

  /** The signed link for a subscription, whatever its Stripe setup. */
  String url(String subscriptionId) {
    long expires = clock.instant().plus(lifetime).getEpochSecond();
    return base
        + "/billing/portal/"
        + subscriptionId
        + "?sig="
        + sign(subscriptionId + "|" + expires)
        + "&exp="
        + expires;
  }

  /** A link made by this server with the current secret, for that subscription, not expired. */
  public boolean valid(String subscriptionId, String signature, Long expires) {
    if (signature == null || expires == null || clock.instant().getEpochSecond() >= expires) {
      return false;
    }
    return MessageDigest.isEqual(
        sign(subscriptionId + "|" + expires).getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII));
  }

  private String sign(String subscriptionId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(secret);
      return HexFormat.of()
          .formatHex(
              mac.doFinal(("billing-portal:" + subscriptionId).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
