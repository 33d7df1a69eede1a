package dev.keyturn.server.console.mail;

import dev.keyturn.server.notify.MailRenderer;
import dev.keyturn.server.notify.Notifier;
import dev.keyturn.server.web.KeyturnServerException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Every mail the server sends, rendered through the real {@link MailRenderer} with sample data of
 * the same shape the senders use ({@code Notifier}, the Stripe payment-failed mail), so staff see
 * what a customer gets at each stage before it happens.
 */
@Component
public class TemplatePreviews {
  private static final int GRACE_DAYS = 60;

  /** One sample: which template, at which moment. */
  public record Preview(String key, String template, String title, String audience) {}

  static final List<Preview> ALL =
      List.of(
          new Preview("expiring-30", "expiring", "Expiring in 30 days (D-30)", "customer admins"),
          new Preview("expiring-15", "expiring", "Expiring in 15 days (D-15)", "customer admins"),
          new Preview("expiring-7", "expiring", "Expiring in 7 days (D-7)", "customer admins"),
          new Preview("expiring-1", "expiring", "Expiring tomorrow (D-1)", "customer admins"),
          new Preview("expired", "expired", "Expired, grace started", "customer admins"),
          new Preview("locked", "locked", "Locked after grace", "customer admins"),
          new Preview("license-issued", "license", "New license issued", "customer contacts"),
          new Preview("license-renewed", "license", "License renewed", "customer contacts"),
          new Preview("payment-failed", "payment-failed", "Payment failed", "billing contacts"),
          new Preview("vendor-15", "vendor-alert", "Vendor alert at D-15", "account team"),
          new Preview("vendor-7", "vendor-alert", "Vendor alert at D-7", "support"),
          new Preview("usage-over-limit", "usage-alert", "Usage above the limit", "account team"),
          new Preview(
              "usage-over-allowance",
              "usage-alert",
              "Usage above the overage allowance",
              "account team"),
          new Preview(
              "portal-sign-in", "portal-sign-in", "Customer portal sign-in link", "a contact"));

  private final MailRenderer renderer;
  private final Clock clock;

  TemplatePreviews(MailRenderer renderer, Clock clock) {
    this.renderer = renderer;
    this.clock = clock;
  }

  public List<Preview> all() {
    return ALL;
  }

  public MailRenderer.Rendered render(String key) {
    Preview p =
        ALL.stream()
            .filter(x -> x.key().equals(key))
            .findFirst()
            .orElseThrow(() -> KeyturnServerException.notFound("mail preview", key));
    return renderer.render(p.template(), variables(p));
  }

  private Map<String, Object> variables(Preview p) {
    int daysLeft =
        switch (p.key()) {
          case "expiring-30" -> 30;
          case "expiring-15", "vendor-15" -> 15;
          case "expiring-7", "vendor-7" -> 7;
          case "expiring-1" -> 1;
          case "license-issued", "license-renewed", "payment-failed" -> 365;
          case "expired" -> 0;
          default -> -GRACE_DAYS; // locked
        };
    Instant expiresAt = clock.instant().plus(Duration.ofDays(daysLeft));
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("customer", "Acme Corp");
    vars.put("subscriptionId", "sub_SAMPLE");
    vars.put("licenseId", "lic_SAMPLE");
    vars.put("expiresAtText", Notifier.DATE.format(expiresAt));
    vars.put("locksAtText", Notifier.DATE.format(expiresAt.plus(Duration.ofDays(GRACE_DAYS))));
    vars.put("graceDays", GRACE_DAYS);
    vars.put("graceMode", "full");
    vars.put("lockAction", "locked");
    vars.put("portalUrl", "https://billing.example/portal/sample");
    vars.put("paymentUrl", "https://billing.example/update-payment/sample");
    vars.put("daysLeft", (long) Math.max(daysLeft, 0));
    vars.put("renewed", p.key().equals("license-renewed"));
    vars.put("customerPortalUrl", "https://licenses.vendor.example/portal");
    vars.put("email", "ops@acme.example");
    vars.put("link", "https://licenses.vendor.example/portal/sign-in?token=SAMPLE");
    vars.put("minutes", 15);
    if (p.template().equals("usage-alert")) {
      boolean limit = p.key().equals("usage-over-limit");
      String crossing = limit ? "the limit" : "the overage allowance";
      long threshold = limit ? 250 : 275;
      vars.put("limit", "users");
      vars.put("value", threshold + 3);
      vars.put("threshold", threshold);
      vars.put("crossing", crossing);
      vars.put(
          "headline",
          "Usage above " + crossing + ": users " + (threshold + 3) + " of " + threshold);
    }
    if (p.template().equals("vendor-alert")) {
      vars.put("stage", "D-" + daysLeft);
      vars.put("headline", daysLeft == 15 ? "Renewal due in 15 days" : "License expires in 7 days");
    }
    return vars;
  }
}
