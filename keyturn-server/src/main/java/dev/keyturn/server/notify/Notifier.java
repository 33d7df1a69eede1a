package dev.keyturn.server.notify;

import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Stage;
import dev.keyturn.core.lifecycle.Standing;
import dev.keyturn.server.config.AutomationProperties;
import dev.keyturn.server.config.KeyturnProperties;
import dev.keyturn.server.delivery.MailMessage;
import dev.keyturn.server.delivery.Outbox;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.license.LicenseToMail;
import dev.keyturn.server.notify.internal.Ics;
import dev.keyturn.server.subscription.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Renders and enqueues the mails of docs/design.md §4 and §6 to a subscription's contacts. */
@Component
public class Notifier {
  /**
   * A contact may mute the early reminders: those 15 days or more before expiry (the presets' D-30
   * and D-15, and a custom policy's earlier ones); the last ones, expiry and lock always go out.
   */
  static final Duration LAST_MUTABLE_REMINDER = Duration.ofDays(-15);

  /** How mails write instants (the console's template previews use it too). */
  public static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final Outbox outbox;
  private final MailRenderer renderer;
  private final Clock clock;
  private final AutomationProperties.Notifications settings;
  private final BillingLinks portalLinks;
  private final String customerPortalUrl;

  Notifier(
      Outbox outbox,
      MailRenderer renderer,
      Clock clock,
      AutomationProperties properties,
      BillingLinks portalLinks,
      KeyturnProperties keyturn) {
    this.portalLinks = portalLinks;
    this.customerPortalUrl = keyturn.publicUrl() + "/portal";
    this.outbox = outbox;
    this.renderer = renderer;
    this.clock = clock;
    this.settings = properties.notifications();
  }

  /**
   * The customer's mail for crossing {@code stage}, added to {@code out}; contacts in {@code muted}
   * skip the early reminders.
   */
  public void stage(
      Subscription s,
      LicenseRecord license,
      Stage stage,
      Standing standing,
      Set<String> muted,
      List<Outbox.Entry> out) {
    Policy policy = license.policy();
    Map<String, Object> vars = variables(s, license, policy, standing);
    String template;
    String subject;
    String eventType;
    if (stage.phase() == Phase.LOCKED) {
      template = "locked";
      subject =
          "Your " + s.fields().displayName() + " product is " + policy.lockAction().pastTense();
      eventType = "license.locked";
    } else if (stage.phase() == Phase.GRACE) {
      template = "expired";
      subject =
          "Your "
              + s.fields().displayName()
              + " license has expired: "
              + policy.graceDays()
              + " days of grace";
      eventType = "license.expired";
    } else {
      template = "expiring";
      // The days actually left: a stage crossed late (a license issued inside D-30, downtime) says
      // so rather than repeating the stage's nominal number.
      long days = Math.max(1, (Long) vars.get("daysLeft"));
      vars.put("daysLeft", days);
      subject = "Your " + s.fields().displayName() + " license expires in " + days + " day(s)";
      eventType = "license.expiring";
    }
    List<String> to = new ArrayList<>(recipients(s));
    if (stage.phase() == Phase.EXPIRING && stage.offset().compareTo(LAST_MUTABLE_REMINDER) <= 0) {
      to.removeAll(muted);
    }
    send(s, to, template, subject, vars, List.of(calendar(s, license, policy)), eventType, out);
  }

  /** A new or renewed license, attached, with its dates as a calendar. */
  public void license(Subscription s, LicenseRecord license, boolean renewed) {
    Policy policy = license.policy();
    Map<String, Object> vars = variables(s, license, policy, standingNow(license));
    vars.put("renewed", renewed);
    List<MailMessage.Attachment> attachments =
        List.of(
            new MailMessage.Attachment(
                license.id() + ".license.toml", "application/toml", license.text()),
            calendar(s, license, policy));
    String subject =
        "Your " + (renewed ? "renewed" : "new") + " " + s.fields().displayName() + " license";
    List<Outbox.Entry> out = new ArrayList<>();
    send(
        s,
        recipients(s),
        "license",
        subject,
        vars,
        attachments,
        renewed ? "license.renewed" : "license.issued",
        out);
    outbox.enqueue(out);
  }

  /** The license the issuer was asked to mail, in the issuing transaction. */
  @EventListener
  void onLicenseToMail(LicenseToMail m) {
    license(m.subscription(), m.license(), m.renewed());
  }

  /**
   * Tells billing contacts (or admins when there are none) that a payment failed. With a billing
   * link (Stripe set up for the subscription), the mail carries the signed Billing Portal link,
   * which opens a session when clicked: nothing calls the provider inside this transaction. Without
   * one, it carries the configured update-payment URL.
   */
  public void paymentFailed(Subscription s) {
    Optional<String> link = portalLinks.link(s);
    if (link.isPresent()) {
      paymentFailed(s, link.get());
      return;
    }
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("customer", s.fields().displayName());
    vars.put("subscriptionId", s.id());
    vars.put("paymentUrl", settings.paymentUrl());
    List<String> to = billingRecipients(s);
    List<Outbox.Entry> out = new ArrayList<>();
    send(s, to, "payment-failed", "Your payment failed", vars, List.of(), "payment.failed", out);
    outbox.enqueue(out);
  }

  private void paymentFailed(Subscription s, String link) {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("customer", s.fields().displayName());
    vars.put("subscriptionId", s.id());
    vars.put("paymentUrl", link);
    MailRenderer.Rendered r = renderer.render("payment-failed", vars);
    List<String> to = billingRecipients(s);
    for (String recipient : to) {
      outbox.mail(
          new MailMessage(
              recipient, "Your payment failed", r.text(), r.html(), List.of(), Map.of()),
          "payment.failed",
          s.id());
    }
  }

  /**
   * A contact's sign-in link to the customer portal, valid for {@code lifetime}; filed under the
   * first of the contact's subscriptions in the mail log.
   */
  public void signInLink(String address, String link, Duration lifetime, String subscriptionId) {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("email", address);
    vars.put("link", link);
    vars.put("minutes", lifetime.toMinutes());
    MailRenderer.Rendered r = renderer.render("portal-sign-in", vars);
    outbox.mail(
        new MailMessage(
            address, "Your sign-in link to the customer portal", r.text(), r.html(), null, null),
        "portal.sign_in_link",
        subscriptionId);
  }

  /**
   * A vendor alert (the account team, support) for a stage whose policy asks for one: the presets
   * alert the account team at D-15 and support at D-7 (docs/design.md §4).
   */
  public void vendor(
      Subscription s,
      LicenseRecord license,
      Stage stage,
      Standing standing,
      String to,
      String headline,
      List<Outbox.Entry> out) {
    Map<String, Object> vars = variables(s, license, license.policy(), standing);
    vars.put("headline", headline);
    vars.put("stage", stage.id());
    send(
        s,
        List.of(to),
        "vendor-alert",
        headline + ": " + s.fields().displayName(),
        vars,
        List.of(),
        "vendor." + stage.id(),
        out);
  }

  /**
   * The account team's mail when a license's usage crosses its limit or its overage allowance
   * (issue 18), enqueued at once in the caller's transaction; nothing when no account team is set.
   *
   * @param crossing what was crossed, e.g. "the limit" or "the overage allowance"
   * @param threshold the value crossed (the limit, or the limit plus its allowance)
   */
  public void usageCrossed(
      Subscription s,
      String licenseId,
      String limit,
      long value,
      long threshold,
      String crossing,
      String eventType) {
    if (settings.accountTeam() == null) {
      return;
    }
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("customer", s.fields().displayName());
    vars.put("subscriptionId", s.id());
    vars.put("licenseId", licenseId);
    vars.put("limit", limit);
    vars.put("value", value);
    vars.put("threshold", threshold);
    vars.put("crossing", crossing);
    String headline = "Usage above " + crossing + ": " + limit + " " + value + " of " + threshold;
    vars.put("headline", headline);
    MailRenderer.Rendered r = renderer.render("usage-alert", vars);
    outbox.mail(
        new MailMessage(
            settings.accountTeam(),
            headline + " (" + s.fields().displayName() + ")",
            r.text(),
            r.html(),
            null,
            null),
        eventType,
        s.id());
  }

  /** Renders the template once and adds one outbox mail per recipient to {@code out}. */
  private void send(
      Subscription s,
      List<String> recipients,
      String template,
      String subject,
      Map<String, Object> vars,
      List<MailMessage.Attachment> attachments,
      String eventType,
      List<Outbox.Entry> out) {
    if (recipients.isEmpty()) {
      return;
    }
    MailRenderer.Rendered r = renderer.render(template, vars);
    // Mail clients offer "unsubscribe" from this header; it mutes the early reminders only.
    Map<String, String> headers =
        Map.of(
            "List-Unsubscribe",
            "<mailto:" + settings.from() + "?subject=mute%20early%20reminders%20" + s.id() + ">");
    for (String to : recipients) {
      out.add(
          outbox.mailEntry(
              new MailMessage(to, subject, r.text(), r.html(), attachments, headers),
              eventType,
              s.id()));
    }
  }

  /** The license's standing now, for mails sent outside the sweep (which passes its own). */
  private Standing standingNow(LicenseRecord license) {
    return Lifecycle.evaluate(
        license.notBefore(),
        license.expiresAt(),
        clock.instant(),
        license.policy(),
        ZoneOffset.UTC);
  }

  private Map<String, Object> variables(
      Subscription s, LicenseRecord license, Policy policy, Standing standing) {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("customer", s.fields().displayName());
    vars.put("subscriptionId", s.id());
    vars.put("licenseId", license.id());
    vars.put("expiresAtText", DATE.format(license.expiresAt()));
    vars.put("locksAtText", DATE.format(license.locksAt()));
    vars.put("graceDays", policy.graceDays());
    vars.put("graceMode", policy.graceMode().tomlName().replace('_', '-'));
    vars.put("lockAction", policy.lockAction().pastTense());
    // Billing (issue 7): where to renew or update the payment method, when Stripe is set up.
    vars.put("portalUrl", portalLinks.link(s).orElse(null));
    // The customer portal (issue 9): standing, downloads, renewal requests, reminder settings.
    vars.put("customerPortalUrl", customerPortalUrl);
    // Whole days left, rounded up as everywhere (Standing): 30 from D-30 until D-29.
    vars.put("daysLeft", standing.daysUntilExpiry());
    return vars;
  }

  private MailMessage.Attachment calendar(Subscription s, LicenseRecord license, Policy policy) {
    Instant now = clock.instant();
    String name = s.fields().displayName();
    String ics =
        Ics.calendar(
            now,
            List.of(
                new Ics.Event(
                    license.id() + "-expiry@keyturn",
                    license.expiresAt(),
                    name + " license expires",
                    "License " + license.id() + " expires; grace starts."),
                new Ics.Event(
                    license.id() + "-lock@keyturn",
                    license.locksAt(),
                    name + " grace ends",
                    "Without a renewed license the product is "
                        + policy.lockAction().pastTense()
                        + ".")));
    return new MailMessage.Attachment("license-dates.ics", "text/calendar", ics);
  }

  /** The billing contacts, or the admins when there are none. */
  private static List<String> billingRecipients(Subscription s) {
    return s.fields().contacts().billingEmails().isEmpty()
        ? s.fields().contacts().adminEmails()
        : s.fields().contacts().billingEmails();
  }

  private static List<String> recipients(Subscription s) {
    Set<String> all = new LinkedHashSet<>(s.fields().contacts().adminEmails());
    all.addAll(s.fields().contacts().billingEmails());
    return new ArrayList<>(all);
  }
}
