package dev.keyturn.client.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * {@code banner.js} and {@code banner.css}, shipped in this jar: plain files, no build step. Served
 * with an ETag and {@code no-cache}, so a product upgrade is picked up on the next page load.
 */
final class Assets {
  record Asset(String contentType, byte[] bytes, String etag) {}

  private static final String DIR = "/dev/keyturn/client/web/";
  private final Map<String, Asset> assets;

  Assets() {
    this.assets =
        Map.of(
            "banner.js", load("banner.js", "text/javascript; charset=utf-8"),
            "banner.css", load("banner.css", "text/css; charset=utf-8"));
  }

  Optional<WebResponse> serve(String name, WebRequest r) {
    Asset a = assets.get(name);
    if (a == null) {
      return Optional.empty();
    }
    Map<String, String> headers =
        Map.of(
            "ETag", a.etag(),
            "Cache-Control", "no-cache",
            "X-Content-Type-Options", "nosniff");
    if (r.header("If-None-Match").map(v -> v.contains(a.etag())).orElse(false)) {
      return Optional.of(new WebResponse(304, a.contentType(), headers, new byte[0]));
    }
    return Optional.of(new WebResponse(200, a.contentType(), headers, a.bytes()));
  }

  private static Asset load(String name, String contentType) {
    try (InputStream in = Assets.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException(DIR + name + " is missing from the jar");
      }
      byte[] bytes = in.readAllBytes();
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      String etag = "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
      return new Asset(contentType, bytes, etag);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DIR + name, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
