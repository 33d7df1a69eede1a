package dev.keyturn.client.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyturn.client.LicenseManager;
import dev.keyturn.client.SettableClock;
import dev.keyturn.core.license.License;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** A manager on a settable clock with the web module in front of it. */
final class Harness implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final Fixtures.Keys keys = Fixtures.keys();
  final SettableClock clock;
  final Path stateDir;
  final LicenseManager licenses;
  final KeyturnWeb web;

  Harness(Path dir, Instant start, WebSettings settings) {
    this(dir, start, settings, b -> b);
  }

  Harness(
      Path dir,
      Instant start,
      WebSettings settings,
      UnaryOperator<LicenseManager.Builder> manager) {
    this.clock = new SettableClock(start);
    this.stateDir = dir.resolve("license");
    this.licenses = manager.apply(Fixtures.manager(stateDir, keys, clock)).build();
    this.web = new KeyturnWeb(licenses, settings);
  }

  /** A harness with {@link Fixtures#acme()} installed at mid-year. */
  static Harness withAcme(Path dir) {
    return withLicense(dir, Fixtures.acme().build(), WebSettings.defaults());
  }

  static Harness withLicense(Path dir, License license, WebSettings settings) {
    Harness h = new Harness(dir, Fixtures.MID_YEAR, settings);
    assertThat(h.licenses.install(h.keys.sign(license)).installed()).isTrue();
    return h;
  }

  /** Lets time pass until {@code instant}. */
  Harness at(Instant instant) {
    clock.advance(Duration.between(clock.instant(), instant));
    licenses.refresh();
    return this;
  }

  /** The module's answer, or empty when the product would handle the request. */
  Optional<WebResponse> handle(TestRequest request) {
    try {
      return web.handle(request);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  WebResponse answer(TestRequest request) {
    return handle(request).orElseThrow(() -> new AssertionError("the product would answer"));
  }

  JsonNode json(TestRequest request) {
    return json(answer(request));
  }

  static JsonNode json(WebResponse response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonNode standing() {
    return json(TestRequest.api("GET", "/license/standing"));
  }

  @Override
  public void close() {
    licenses.close();
  }
}
