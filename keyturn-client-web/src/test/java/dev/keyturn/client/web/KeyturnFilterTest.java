package dev.keyturn.client.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.client.LicenseManager;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filter in a real servlet container (Jetty 12, ee10) in front of a product servlet. */
class KeyturnFilterTest {
  @TempDir Path dir;

  private Server server;
  private final AtomicInteger writes = new AtomicInteger();
  private final HttpClient http = HttpClient.newHttpClient();

  /** The product: counts the changes that reach it. */
  final class Product extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      res.setContentType("text/plain");
      res.getWriter().write("product " + req.getRequestURI());
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
      writes.incrementAndGet();
      res.setStatus(204);
    }
  }

  private URI start(LicenseManager licenses, FilterHolder filter, String contextPath)
      throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler(contextPath);
    context.setAttribute(KeyturnFilter.MANAGER_ATTRIBUTE, licenses);
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new Product()), "/");
    server.setHandler(context);
    server.start();
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + contextPath);
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(
        request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void passes_the_product_through_in_full_mode_and_serves_the_license_routes() throws Exception {
    try (Harness h = Harness.withAcme(dir)) {
      URI base = start(h.licenses, new FilterHolder(new KeyturnFilter(h.web)), "");

      HttpResponse<String> page = send(HttpRequest.newBuilder(base.resolve("/notes")));
      HttpResponse<String> js = send(HttpRequest.newBuilder(base.resolve("/license/banner.js")));
      HttpResponse<String> again =
          send(
              HttpRequest.newBuilder(base.resolve("/license/banner.js"))
                  .header("If-None-Match", js.headers().firstValue("ETag").orElseThrow()));
      HttpResponse<String> css = send(HttpRequest.newBuilder(base.resolve("/license/banner.css")));

      assertThat(page.body()).isEqualTo("product /notes");
      assertThat(js.statusCode()).isEqualTo(200);
      assertThat(js.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
      assertThat(js.body()).contains("data-keyturn-pill");
      assertThat(again.statusCode()).isEqualTo(304);
      assertThat(css.body()).contains(".kt-banner--info");
    }
  }

  @Test
  void read_only_changes_never_reach_the_product_whatever_the_path_looks_like() throws Exception {
    try (Harness h =
        Harness.withLicense(dir, Fixtures.subscription().build(), WebSettings.defaults())
            .at(Fixtures.EXPIRES.plus(Duration.ofDays(1)))) {
      URI base = start(h.licenses, new FilterHolder(new KeyturnFilter(h.web)), "");
      String[] paths = {
        "/notes", "/license/..;/notes", "/license/%2e%2e/notes", "//notes", "/./notes"
      };
      for (String path : paths) {
        HttpResponse<String> r =
            send(
                HttpRequest.newBuilder(URI.create(base + path))
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("text=x")));

        assertThat(r.statusCode()).as(path).isIn(400, 403);
      }
      HttpResponse<String> read = send(HttpRequest.newBuilder(base.resolve("/notes")));

      assertThat(writes).hasValue(0);
      assertThat(read.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void an_upload_through_the_container_unlocks_the_product() throws Exception {
    try (Harness h = Harness.withAcme(dir).at(Fixtures.EXPIRES.plus(Duration.ofDays(61)))) {
      URI base = start(h.licenses, new FilterHolder(new KeyturnFilter(h.web)), "/app");
      HttpResponse<String> lock =
          send(HttpRequest.newBuilder(URI.create(base + "/notes")).header("Accept", "text/html"));
      assertThat(lock.statusCode()).isEqualTo(423);
      assertThat(lock.body()).contains("action=\"/app/license/install\"");

      String renewal = h.keys.sign(Fixtures.renewal().build());
      HttpResponse<String> installed =
          send(
              HttpRequest.newBuilder(URI.create(base + "/license/install"))
                  .header("Origin", "http://" + base.getAuthority())
                  .header("Accept", "application/json")
                  .header("Content-Type", InstallRouteTest.multipartType())
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          InstallRouteTest.multipart("", "acme.license.toml", renewal, null))));

      assertThat(installed.statusCode()).isEqualTo(200);
      assertThat(installed.body()).contains("\"code\":\"VALID\"");
      assertThat(send(HttpRequest.newBuilder(URI.create(base + "/notes"))).body())
          .isEqualTo("product /app/notes");
    }
  }

  @Test
  void configured_from_init_parameters_with_the_manager_in_the_context() throws Exception {
    try (Harness h = Harness.withAcme(dir).at(Fixtures.EXPIRES.plus(Duration.ofDays(61)))) {
      FilterHolder holder = new FilterHolder(KeyturnFilter.class);
      holder.setInitParameter("product-name", "Acme Notes");
      holder.setInitParameter("exempt-paths", "/health");
      URI base = start(h.licenses, holder, "");

      HttpResponse<String> lock =
          send(HttpRequest.newBuilder(base.resolve("/notes")).header("Accept", "text/html"));
      HttpResponse<String> health = send(HttpRequest.newBuilder(base.resolve("/health")));

      assertThat(lock.body()).contains("Acme Notes is locked");
      assertThat(health.body()).isEqualTo("product /health");
    }
  }

  @Test
  void head_requests_get_headers_without_a_body() throws Exception {
    try (Harness h = Harness.withAcme(dir)) {
      URI base = start(h.licenses, new FilterHolder(new KeyturnFilter(h.web)), "");

      HttpResponse<String> head =
          send(
              HttpRequest.newBuilder(base.resolve("/license/standing"))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody()));

      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
    }
  }
}
