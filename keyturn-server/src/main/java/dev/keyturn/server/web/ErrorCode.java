package dev.keyturn.server.web;

import org.springframework.http.HttpStatus;

/**
 * Every error the API answers with, as the stable {@code code} property of its {@code
 * application/problem+json} body. Clients (CLI, console, the embedded client) branch on these
 * strings, so they are never renamed; add new ones instead.
 */
public enum ErrorCode {
  VALIDATION_FAILED("validation.failed", HttpStatus.BAD_REQUEST, "The request is not valid"),
  MALFORMED_REQUEST("request.malformed", HttpStatus.BAD_REQUEST, "The request cannot be read"),
  UNAUTHENTICATED("auth.unauthenticated", HttpStatus.UNAUTHORIZED, "Authentication required"),
  FORBIDDEN("auth.forbidden", HttpStatus.FORBIDDEN, "Your role may not do this"),
  FIELD_FORBIDDEN(
      "subscription.field_forbidden",
      HttpStatus.FORBIDDEN,
      "Your role may not change these fields"),
  ENGINEER_LIMIT_EXCEEDED(
      "license.engineer_limit_exceeded",
      HttpStatus.FORBIDDEN,
      "Engineers may issue licenses of at most 7 days"),
  NOT_FOUND("not_found", HttpStatus.NOT_FOUND, "Not found"),
  METHOD_NOT_ALLOWED("method_not_allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
  UNSUPPORTED_MEDIA_TYPE(
      "unsupported_media_type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
  NOT_ACCEPTABLE("not_acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
  SUBSCRIPTION_ARCHIVED(
      "subscription.archived", HttpStatus.CONFLICT, "The subscription is archived for good"),
  LICENSE_ALREADY_REVOKED("license.already_revoked", HttpStatus.CONFLICT, "Already revoked"),
  CONFLICT("conflict", HttpStatus.CONFLICT, "Conflict"),
  POLICY_BUILT_IN(
      "policy.built_in", HttpStatus.CONFLICT, "The presets are built in and cannot change"),
  POLICY_IN_USE("policy.in_use", HttpStatus.CONFLICT, "Subscriptions still use this policy"),
  LICENSE_TOKEN_UNKNOWN(
      "license.unknown_token", HttpStatus.UNAUTHORIZED, "Unknown or missing license token"),
  LICENSE_REVOKED("license.revoked", HttpStatus.FORBIDDEN, "The license was revoked"),
  CAPABILITIES_REVOKED(
      "capabilities.revoked", HttpStatus.FORBIDDEN, "Online capabilities are revoked"),
  INSTANCE_CONFLICT(
      "instance.conflict", HttpStatus.CONFLICT, "Another instance already holds this license"),
  TEST_CLOCK_BACKWARDS(
      "test_clock.backwards", HttpStatus.BAD_REQUEST, "The test clock only moves forward"),
  STRIPE_SIGNATURE_INVALID(
      "stripe.signature_invalid",
      HttpStatus.BAD_REQUEST,
      "The Stripe signature is missing, wrong or too old"),
  STRIPE_NOT_CONFIGURED(
      "stripe.not_configured", HttpStatus.SERVICE_UNAVAILABLE, "Stripe is not configured"),
  STRIPE_FAILED("stripe.failed", HttpStatus.BAD_GATEWAY, "Stripe refused the request"),
  RATE_LIMITED("rate_limited", HttpStatus.TOO_MANY_REQUESTS, "Too many requests"),
  REQUEST_TOO_LARGE(
      "request.too_large", HttpStatus.CONTENT_TOO_LARGE, "The request body is too large"),
  SERVICE_UNAVAILABLE(
      "service.unavailable",
      HttpStatus.SERVICE_UNAVAILABLE,
      "The server cannot reach its database; try again shortly"),
  USAGE_REPORT_MALFORMED(
      "usage_report.malformed", HttpStatus.BAD_REQUEST, "The usage report cannot be read"),
  USAGE_REPORT_UNSUPPORTED_FORMAT(
      "usage_report.unsupported_format",
      HttpStatus.BAD_REQUEST,
      "The usage report's format is not keyturn-usage-report-v1"),
  USAGE_REPORT_TOO_LARGE(
      "usage_report.too_large", HttpStatus.CONTENT_TOO_LARGE, "The usage report is too large"),
  USAGE_REPORT_OUT_OF_RANGE(
      "usage_report.out_of_range",
      HttpStatus.BAD_REQUEST,
      "A number in the usage report is negative or absurd"),
  USAGE_REPORT_SIGNATURE_MISMATCH(
      "usage_report.signature_mismatch",
      HttpStatus.BAD_REQUEST,
      "The usage report's signature does not verify"),
  USAGE_REPORT_KEY_MISMATCH(
      "usage_report.installation_key_mismatch",
      HttpStatus.CONFLICT,
      "The installation is bound to another key"),
  USAGE_REPORT_UNKNOWN_LICENSE(
      "usage_report.unknown_license",
      HttpStatus.UNPROCESSABLE_ENTITY,
      "The usage report names a license this server did not issue"),
  USAGE_REPORT_WRONG_SUBSCRIPTION(
      "usage_report.wrong_subscription",
      HttpStatus.CONFLICT,
      "The usage report belongs to another subscription"),
  USAGE_REPORT_REPLAYED(
      "usage_report.replayed",
      HttpStatus.CONFLICT,
      "The usage report is not newer than one already imported"),
  USAGE_REPORT_CHAIN_BACKWARDS(
      "usage_report.chain_backwards",
      HttpStatus.CONFLICT,
      "The usage report's audit chain is shorter than last time"),
  INTERNAL("internal", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

  private final String code;
  private final HttpStatus status;
  private final String title;

  ErrorCode(String code, HttpStatus status, String title) {
    this.code = code;
    this.status = status;
    this.title = title;
  }

  public String code() {
    return code;
  }

  public HttpStatus status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The code a framework-raised error of this status gets. */
  public static ErrorCode forStatus(int status) {
    return switch (status) {
      case 400 -> MALFORMED_REQUEST;
      case 401 -> UNAUTHENTICATED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 406 -> NOT_ACCEPTABLE;
      case 409 -> CONFLICT;
      case 413 -> REQUEST_TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 429 -> RATE_LIMITED;
      case 503 -> SERVICE_UNAVAILABLE;
      default -> INTERNAL;
    };
  }
}
