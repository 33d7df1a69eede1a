package dev.keyturn.server.billing.internal;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.billingportal.Session;
import com.stripe.param.billingportal.SessionCreateParams;
import dev.keyturn.server.billing.StripeProperties;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import org.springframework.stereotype.Component;

/**
 * Stripe Billing Portal sessions: where a customer updates the payment method or the plan. Each one
 * is an API call to Stripe, made when someone asks for it (staff, or a click on a mail's link),
 * never while handling a webhook.
 */
@Component
public class BillingPortal {
  private final StripeProperties properties;
  private final StripeClient client;

  BillingPortal(StripeProperties properties) {
    this.properties = properties;
    if (properties.apiKey() == null) {
      this.client = null;
    } else {
      StripeClient.StripeClientBuilder b =
          StripeClient.builder().setApiKey(properties.apiKey()).setMaxNetworkRetries(1);
      if (properties.apiBase() != null) {
        b.setApiBase(properties.apiBase());
      }
      this.client = b.build();
    }
  }

  /** A new session's URL; a typed error when Stripe is not set up or refuses. */
  public String sessionUrl(Subscription s) {
    if (client == null) {
      throw new KeyturnServerException(
          ErrorCode.STRIPE_NOT_CONFIGURED,
          "set KEYTURN_STRIPE_API_KEY (keyturn.stripe.api-key) to create billing portal sessions");
    }
    String customer = s.fields().stripeCustomerId();
    if (customer == null) {
      throw new KeyturnServerException(
          ErrorCode.CONFLICT,
          "subscription " + s.id() + " has no stripe_customer_id; set it first");
    }
    SessionCreateParams.Builder params = SessionCreateParams.builder().setCustomer(customer);
    if (properties.portalReturnUrl() != null) {
      params.setReturnUrl(properties.portalReturnUrl());
    }
    try {
      Session session = client.v1().billingPortal().sessions().create(params.build());
      return session.getUrl();
    } catch (StripeException e) {
      throw new KeyturnServerException(
          ErrorCode.STRIPE_FAILED, "Stripe refused the billing portal session: " + e.getMessage());
    }
  }
}
