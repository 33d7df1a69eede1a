package dev.keyturn.client.web;

import dev.keyturn.client.LicenseManager;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The web module as a Jakarta Servlet (6.0) filter: map it to {@code /*} ahead of the product's own
 * servlets. It serves the license routes (see {@link KeyturnWeb}) and enforces read-only and locked
 * modes on everything else; everything it does not answer goes on down the chain untouched.
 *
 * <p>Programmatically: {@code new KeyturnFilter(licenses, WebSettings.builder()…build())}. From
 * {@code web.xml}: the no-argument constructor reads the {@link LicenseManager} from the servlet
 * context attribute {@value #MANAGER_ATTRIBUTE} (set it in a {@code ServletContextListener}) and
 * its settings from init parameters: {@code base-path}, {@code product-name}, {@code vendor-name},
 * {@code exempt-paths} and {@code allowed-origins} (comma-separated), {@code renewal-email}, {@code
 * renewal-portal}, {@code renewal-server} with {@code state-dir}.
 */
public final class KeyturnFilter implements Filter {
  public static final String MANAGER_ATTRIBUTE = LicenseManager.class.getName();

  private KeyturnWeb web;

  /** For {@code web.xml}; configured in {@link #init(FilterConfig)}. */
  public KeyturnFilter() {}

  public KeyturnFilter(LicenseManager licenses, WebSettings settings) {
    this.web = new KeyturnWeb(licenses, settings);
  }

  public KeyturnFilter(KeyturnWeb web) {
    this.web = web;
  }

  @Override
  public void init(FilterConfig config) throws ServletException {
    if (web != null) {
      return;
    }
    Object manager = config.getServletContext().getAttribute(MANAGER_ATTRIBUTE);
    if (!(manager instanceof LicenseManager licenses)) {
      throw new ServletException(
          "KeyturnFilter needs a LicenseManager in the servlet context attribute "
              + MANAGER_ATTRIBUTE
              + " (set it in a ServletContextListener), or construct the filter with one");
    }
    try {
      web = new KeyturnWeb(licenses, settings(config::getInitParameter));
    } catch (WebException e) {
      throw new ServletException("KeyturnFilter init parameters: " + e.getMessage(), e);
    }
  }

  /** Settings from init parameters; unknown parameters are the container's business. */
  static WebSettings settings(Function<String, String> param) {
    WebSettings.Builder b = WebSettings.builder();
    value(param, "base-path").ifPresent(b::basePath);
    value(param, "product-name").ifPresent(b::productName);
    value(param, "vendor-name").ifPresent(b::vendorName);
    list(param, "exempt-paths").forEach(b::exemptPath);
    list(param, "allowed-origins").forEach(b::allowedOrigin);
    value(param, "renewal-email").ifPresent(b::renewalEmail);
    value(param, "renewal-portal").ifPresent(p -> b.renewalPortal(uri("renewal-portal", p)));
    Optional<String> server = value(param, "renewal-server");
    Optional<String> stateDir = value(param, "state-dir");
    if (server.isPresent() != stateDir.isPresent()) {
      throw new WebException(
          "renewal-server and state-dir go together: the request is authenticated with the"
              + " license token found in the state directory");
    }
    server.ifPresent(s -> b.renewalServer(uri("renewal-server", s), Path.of(stateDir.get())));
    return b.build();
  }

  private static Optional<String> value(Function<String, String> param, String name) {
    return Optional.ofNullable(param.apply(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  private static List<String> list(Function<String, String> param, String name) {
    return value(param, name).stream()
        .flatMap(v -> Arrays.stream(v.split(",")))
        .map(String::strip)
        .filter(v -> !v.isEmpty())
        .toList();
  }

  private static URI uri(String name, String value) {
    try {
      return URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new WebException(name + " is not a URI: '" + value + "'", e);
    }
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (web == null) {
      throw new ServletException("KeyturnFilter was not initialized");
    }
    if (!(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    Optional<WebResponse> answer = web.handle(new ServletWebRequest(request));
    if (answer.isEmpty()) {
      chain.doFilter(req, res);
      return;
    }
    write(answer.get(), request, response);
  }

  private static void write(WebResponse a, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setStatus(a.status());
    response.setContentType(a.contentType());
    for (Map.Entry<String, String> h : a.headers().entrySet()) {
      response.setHeader(h.getKey(), h.getValue());
    }
    if (a.status() == 304 || request.getMethod().equals("HEAD")) {
      return;
    }
    response.setContentLength(a.body().length);
    response.getOutputStream().write(a.body());
  }
}
