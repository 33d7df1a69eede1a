package dev.keyturn.server.notify;

import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Stage;
import dev.keyturn.server.billing.PortalLinks;
import dev.keyturn.server.config.AutomationProperties;
import dev.keyturn.server.config.KeyturnProperties;
import dev.keyturn.server.delivery.MailMessage;
import dev.keyturn.server.delivery.Outbox;
import dev.keyturn.server.license.LicenseRecord;
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
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Renders and enqueues the mails of DESIGN §4 and §6 to a subscription's contacts. */
@Component
public class Notifier {
  /** The reminders a contact may mute; D-1, expiry and lock always go out. */
  static final Set<String> MUTABLE_STAGES = Set.of("D-30", "D-15");

  /** How mails write instants (the console's template previews use it too). */
  public static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final Outbox outbox;
  private final MailRenderer renderer;
  private final JdbcClient jdbc;
  private final Clock clock;
  private final AutomationProperties.Notifications settings;
  private final PortalLinks portalLinks;
  private final String customerPortalUrl;

  Notifier(
      Outbox outbox,
      MailRenderer renderer,
      JdbcClient jdbc,
      Clock clock,
      AutomationProperties properties,
      PortalLinks portalLinks,
      KeyturnProperties keyturn) {
    this.portalLinks = portalLinks;
    this.customerPortalUrl = keyturn.publicUrl() + "/portal";
    this.outbox = outbox;
    this.renderer = renderer;
    this.jdbc = jdbc;
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
      Set<String> muted,
      List<Outbox.Entry> out) {
    Policy policy = license.policy();
    Map<String, Object> vars = variables(s, license, policy);
    String template;
    String subject;
    String eventType;
    if (stage.id().equals(Stage.LOCK)) {
      template = "locked";
      subject =
          "Your " + s.fields().displayName() + " product is " + policy.lockAction().pastTense();
      eventType = "license.locked";
    } else if (stage.id().equals(Stage.EXPIRY)) {
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
    if (MUTABLE_STAGES.contains(stage.id())) {
      to.removeAll(muted);
    }
    send(s, to, template, subject, vars, List.of(calendar(s, license, policy)), eventType, out);
  }

  /** A new or renewed license, attached, with its dates as a calendar. */
  public void license(Subscription s, LicenseRecord license, boolean renewed) {
    Policy policy = license.policy();
    Map<String, Object> vars = variables(s, license, policy);
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

  /** Tells billing contacts (or admins when there are none) with the update-payment link. */
  public void paymentFailed(Subscription s) {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("customer", s.fields().displayName());
    vars.put("subscriptionId", s.id());
    vars.put("paymentUrl", settings.paymentUrl());
    List<String> to =
        s.fields().contacts().billingEmails().isEmpty()
            ? s.fields().contacts().adminEmails()
            : s.fields().contacts().billingEmails();
    List<Outbox.Entry> out = new ArrayList<>();
    send(s, to, "payment-failed", "Your payment failed", vars, List.of(), "payment.failed", out);
    outbox.enqueue(out);
  }

  /** The vendor's own alerts: D-15 to the account team, D-7 to support (DESIGN §4). */
  public void vendor(
      Subscription s,
      LicenseRecord license,
      Stage stage,
      String to,
      String headline,
      List<Outbox.Entry> out) {
    Map<String, Object> vars = variables(s, license, license.policy());
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

  private Map<String, Object> variables(Subscription s, LicenseRecord license, Policy policy) {
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
    long days =
        Math.max(0, (Duration.between(clock.instant(), license.expiresAt()).toHours() + 23) / 24);
    vars.put("daysLeft", days);
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

  private static List<String> recipients(Subscription s) {
    Set<String> all = new LinkedHashSet<>(s.fields().contacts().adminEmails());
    all.addAll(s.fields().contacts().billingEmails());
    return new ArrayList<>(all);
  }
}
