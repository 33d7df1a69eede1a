package dev.keyturn.conformance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyturn.client.web.KeyturnWeb;
import dev.keyturn.client.web.WebError;
import dev.keyturn.client.web.WebSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code vectors/banner-assets.json} (the one banner component every integration serves) and {@code
 * vectors/web.json} (the web module's error codes and statuses).
 */
final class WebVectors {
  static final String RESOURCES = "keyturn-client-web/src/main/resources";
  private static final String DIR = "dev/keyturn/client/web/";

  private WebVectors() {}

  static ObjectNode bannerAssets() {
    ObjectNode root =
        Vectors.header(
            "banner-assets",
            "The banner component has one source, in keyturn-client-web; every SDK packages these"
                + " exact bytes and serves them at <base>/banner.js and <base>/banner.css.");
    ArrayNode files = root.putArray("files");
    for (String[] f :
        List.of(
            new String[] {"banner.js", "text/javascript; charset=utf-8"},
            new String[] {"banner.css", "text/css; charset=utf-8"})) {
      byte[] bytes = resource(f[0]);
      byte[] digest = sha256(bytes);
      ObjectNode o = files.addObject();
      o.put("name", f[0]);
      o.put("source", RESOURCES + "/" + DIR + f[0]);
      o.put("route", WebSettings.DEFAULT_BASE_PATH + "/" + f[0]);
      o.put("content_type", f[1]);
      o.put("bytes", bytes.length);
      o.put("sha256", HexFormat.of().formatHex(digest));
      o.put("etag", "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"");
      o.put("cache_control", "no-cache");
    }
    return root;
  }

  static ObjectNode web() {
    ObjectNode root =
        Vectors.header(
            "web",
            "The web protocol of keyturn-client-web: routes, and the stable codes of its refusals"
                + " with their HTTP status and title (conformance/web/ checks a running example).");
    root.put("base_path", WebSettings.DEFAULT_BASE_PATH);
    ArrayNode routes = root.putArray("routes");
    route(
        routes,
        "GET",
        "/standing",
        "the standing as JSON; ?tz=<IANA zone> writes banner dates in that zone");
    route(
        routes,
        "POST",
        "/install",
        "install a license: form field license, multipart file, JSON {\"license\": …} or the raw file");
    route(routes, "POST", "/banner/dismiss", "the banner's close button");
    route(routes, "POST", "/renewal-request", "\"Renew\", sent on to the Keyturn server");
    route(routes, "GET", "/banner.js", "the banner component's script");
    route(routes, "GET", "/banner.css", "the banner component's styles");
    route(routes, "GET", "/", "the license page with the paste box");
    ArrayNode errors = root.putArray("errors");
    for (WebError e : WebError.values()) {
      ObjectNode o = errors.addObject();
      o.put("code", e.name());
      o.put("status", e.status());
      o.put("title", e.title());
    }
    ObjectNode rejected = root.putObject("license_rejected");
    rejected.put("status", WebError.LICENSE_REJECTED_STATUS);
    rejected.put("title", "The license was not installed");
    rejected.put("code", "the VerificationCode, e.g. SIGNATURE_MISMATCH or USAGE_EXCEEDS_LIMITS");
    root.put("handler", KeyturnWeb.class.getName());
    return root;
  }

  private static void route(ArrayNode routes, String method, String path, String what) {
    ObjectNode o = routes.addObject();
    o.put("method", method);
    o.put("path", path);
    o.put("description", what);
  }

  static byte[] resource(String name) {
    try (InputStream in = WebError.class.getClassLoader().getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException(DIR + name + " is not on the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
