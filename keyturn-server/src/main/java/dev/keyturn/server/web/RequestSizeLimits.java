package dev.keyturn.server.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.util.unit.DataSize;

/**
 * How large a request body may be, by endpoint: what a legitimate caller sends, with room to spare.
 * A check-in or a renewal request is a few hundred bytes; a Stripe event a few kilobytes.
 */
public final class RequestSizeLimits {
  public static final DataSize CHECK_IN = DataSize.ofKilobytes(64);
  public static final DataSize STRIPE_EVENT = DataSize.ofMegabytes(1);

  /** An air-gapped usage report: the core codec refuses more than 256 KiB of report itself. */
  public static final DataSize USAGE_REPORT = DataSize.ofKilobytes(512);

  public static final DataSize DEFAULT = DataSize.ofMegabytes(1);

  private RequestSizeLimits() {}

  static DataSize forRequest(HttpServletRequest request) {
    String path = request.getRequestURI();
    if (path.equals("/api/v1/check-in") || path.equals("/api/v1/renewal-requests")) {
      return CHECK_IN;
    }
    if (path.equals("/api/v1/usage-reports")) {
      return USAGE_REPORT;
    }
    if (path.equals("/webhooks/stripe")) {
      return STRIPE_EVENT;
    }
    return DEFAULT;
  }
}
