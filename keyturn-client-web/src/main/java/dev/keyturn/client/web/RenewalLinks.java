package dev.keyturn.client.web;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/** The vendor-configured renewal link, pre-filled with the license's details. */
final class RenewalLinks {
  private RenewalLinks() {}

  /** The e-mail or portal link, e-mail first; empty when neither is configured. */
  static Optional<String> link(WebSettings settings, RenewalDetails d) {
    if (settings.renewalEmail().isPresent()) {
      return Optional.of(mailto(settings.renewalEmail().get(), settings.productName(), d));
    }
    return settings.renewalPortal().map(p -> portal(p, d));
  }

  static String mailto(String address, String productName, RenewalDetails d) {
    String subject =
        d.customer().isEmpty()
            ? "License request: " + productName
            : "Renewal request: " + d.customer() + " (" + d.customerReference() + ")";
    StringBuilder body = new StringBuilder();
    body.append(
        d.customer().isEmpty()
            ? "Please send us a license for " + productName + ".\n"
            : "Please renew our license for " + productName + ".\n\n");
    for (Map.Entry<String, String> field : fields(d).entrySet()) {
      body.append(field.getKey()).append(": ").append(field.getValue()).append('\n');
    }
    return "mailto:" + address + "?subject=" + encode(subject) + "&body=" + encode(body.toString());
  }

  static String portal(URI portal, RenewalDetails d) {
    StringJoiner query = new StringJoiner("&");
    if (!d.customerReference().isEmpty()) {
      query.add("customer_reference=" + encode(d.customerReference()));
      query.add("license_id=" + encode(d.licenseId()));
      query.add("tier=" + encode(d.tier()));
      query.add("expires_at=" + encode(d.expiresAt()));
    }
    String base = portal.toString();
    if (query.length() == 0) {
      return base;
    }
    return base + (portal.getRawQuery() == null ? "?" : "&") + query;
  }

  private static Map<String, String> fields(RenewalDetails d) {
    Map<String, String> out = new LinkedHashMap<>();
    if (d.customer().isEmpty()) {
      return out;
    }
    out.put("Customer", d.customer());
    out.put("Customer reference", d.customerReference());
    out.put("License", d.licenseId());
    out.put("Tier", d.tier());
    out.put("Current expiry", d.expiresAt());
    if (!d.instanceDomain().isEmpty()) {
      out.put("Instance", d.instanceDomain());
    }
    return out;
  }

  /** Percent-encoding for URIs: URLEncoder writes spaces as '+', which mail clients keep. */
  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
