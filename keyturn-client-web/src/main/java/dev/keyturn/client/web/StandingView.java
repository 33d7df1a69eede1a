package dev.keyturn.client.web;

import dev.keyturn.client.BannerView;
import dev.keyturn.client.ClientStanding;
import dev.keyturn.client.StandingFlag;
import dev.keyturn.core.lifecycle.Dismissal;
import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.core.lifecycle.Policy;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * The standing as {@code GET /license/standing} answers it, and as the banner script reads it. Keys
 * are snake_case; instants are ISO-8601 UTC; absent values are {@code null}.
 */
record StandingView(
    String productName,
    String vendorName,
    String mode,
    String phase,
    String stage,
    String summary,
    long daysUntilExpiry,
    long daysUntilLock,
    String expiresAt,
    String locksAt,
    String evaluatedAt,
    List<String> flags,
    List<String> notices,
    Banner banner,
    LicenseView license,
    Renewal renewal) {

  /**
   * @param dismissible whether the banner has a close control
   */
  record Banner(
      String level,
      String dismissal,
      String display,
      String text,
      String pillText,
      String hiddenUntil,
      String stage,
      boolean dismissible) {}

  record LicenseView(
      String id, String customer, String subscriptionId, String tier, String expiresAt) {}

  /**
   * How "Renew" works here.
   *
   * @param kind {@code server} (post {@code action}), {@code email} or {@code portal} (open {@code
   *     href})
   * @param fallbackHref a link to offer when the server cannot be reached
   */
  record Renewal(
      String kind, String href, String action, String fallbackHref, RenewalDetails details) {}

  static StandingView of(
      ClientStanding s, Optional<ZoneId> viewerZone, WebSettings settings, String contextPath) {
    BannerView b = s.banner();
    Banner banner =
        new Banner(
            b.level().name(),
            b.dismissal().name(),
            b.display().name(),
            bannerText(s, viewerZone),
            b.pillText(),
            b.hiddenUntil().map(Instant::toString).orElse(null),
            b.stageId(),
            b.dismissal() == Dismissal.UNTIL_NEXT_STAGE
                || b.dismissal() == Dismissal.FOR_24H
                || b.dismissal() == Dismissal.TO_PILL);
    LicenseView license =
        s.license()
            .map(
                l ->
                    new LicenseView(
                        l.id(),
                        l.customer(),
                        l.subscriptionId(),
                        l.tier(),
                        l.expiresAt().toString()))
            .orElse(null);
    return new StandingView(
        settings.productName(),
        settings.vendorName(),
        s.mode().name(),
        s.phase().name(),
        s.stageId(),
        s.summary(),
        s.daysUntilExpiry(),
        s.daysUntilLock(),
        s.expiresAt().map(Instant::toString).orElse(null),
        s.locksAt().map(Instant::toString).orElse(null),
        s.evaluatedAt().toString(),
        s.flags().stream().map(Enum::name).toList(),
        s.notices(),
        banner,
        license,
        renewal(s, settings, contextPath));
  }

  static Renewal renewal(ClientStanding s, WebSettings settings, String contextPath) {
    RenewalDetails details = RenewalDetails.of(s.license());
    Optional<String> link = RenewalLinks.link(settings, details);
    if (settings.renewalServer().isPresent() && s.license().isPresent()) {
      return new Renewal(
          "server",
          null,
          contextPath + settings.basePath() + "/renewal-request",
          link.orElse(null),
          details);
    }
    return link.map(
            href ->
                new Renewal(
                    settings.renewalEmail().isPresent() ? "email" : "portal",
                    href,
                    null,
                    null,
                    details))
        .orElse(null);
  }

  /**
   * The banner text with the stage sentence's dates in the viewer's zone (docs/design.md §4: dates
   * are shown in the viewer's time zone). Lifecycle evaluation is a pure function of (license,
   * instant, policy), so re-running it at the standing's instant changes nothing but the wording.
   * The client puts its flag sentences before the stage sentence; only that stage sentence is
   * replaced.
   */
  static String bannerText(ClientStanding s, Optional<ZoneId> viewerZone) {
    String text = s.banner().text();
    if (viewerZone.isEmpty()
        || s.license().isEmpty()
        || s.lifecycle().isEmpty()
        || s.has(StandingFlag.REVOKED)) {
      return text;
    }
    String original = s.lifecycle().get().banner().text();
    if (original.isEmpty() || !text.endsWith(original)) {
      return text;
    }
    var license = s.license().get();
    String localized =
        Lifecycle.evaluate(
                license, s.evaluatedAt(), Policy.forLicense(license.policy()), viewerZone.get())
            .banner()
            .text();
    return text.substring(0, text.length() - original.length()) + localized;
  }
}
