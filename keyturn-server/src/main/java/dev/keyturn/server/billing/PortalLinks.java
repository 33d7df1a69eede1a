package dev.keyturn.server.billing;

import dev.keyturn.server.subscription.Subscription;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Links in mails that open a Billing Portal session when clicked. Stripe's sessions expire within
 * minutes, so a mail read days later carries a link to this server instead, signed so that only the
 * subscription it names can be opened with it.
 */
@Component
public class PortalLinks {
  private final StripeProperties properties;

  PortalLinks(StripeProperties properties) {
    this.properties = properties;
  }

  /** The link for the subscription's mails, when the server's public URL and Stripe are set. */
  public Optional<String> link(Subscription s) {
    if (properties.portalLinkBase() == null
        || properties.portalLinkSecret() == null
        || properties.apiKey() == null
        || s.fields().stripeCustomerId() == null) {
      return Optional.empty();
    }
    return Optional.of(
        properties.portalLinkBase() + "/billing/portal/" + s.id() + "?sig=" + sign(s.id()));
  }

  boolean valid(String subscriptionId, String signature) {
    if (properties.portalLinkSecret() == null || signature == null) {
      return false;
    }
    return MessageDigest.isEqual(
        sign(subscriptionId).getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII));
  }

  private String sign(String subscriptionId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              properties.portalLinkSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of()
          .formatHex(
              mac.doFinal(("billing-portal:" + subscriptionId).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
