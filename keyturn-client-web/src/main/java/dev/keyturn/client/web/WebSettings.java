package dev.keyturn.client.web;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the web module fits into the product: where its routes live, which product paths it never
 * gates, and where the "Renew" button leads. Immutable; built by {@link #builder()}, validated on
 * {@link Builder#build()}.
 */
public final class WebSettings {
  public static final String DEFAULT_BASE_PATH = "/license";
  public static final String DEFAULT_PRODUCT_NAME = "This product";
  public static final String DEFAULT_VENDOR_NAME = "your vendor";
  public static final Duration DEFAULT_RENEWAL_TIMEOUT = Duration.ofSeconds(10);

  /** The path on the Keyturn server that takes renewal requests. */
  public static final String RENEWAL_REQUESTS_PATH = "/api/v1/renewal-requests";

  private static final Pattern SIMPLE_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
  private static final Pattern EMAIL = Pattern.compile("[^\\s@?&#/]+@[^\\s@?&#/]+");
  private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?");

  private final String basePath;
  private final String productName;
  private final String vendorName;
  private final List<String> exemptPaths;
  private final Set<String> allowedOrigins;
  private final Optional<String> renewalEmail;
  private final Optional<URI> renewalPortal;
  private final Optional<URI> renewalServer;
  private final Optional<Path> stateDir;
  private final Duration renewalTimeout;

  private WebSettings(Builder b) {
    this.basePath = b.basePath;
    this.productName = b.productName;
    this.vendorName = b.vendorName;
    this.exemptPaths = List.copyOf(b.exemptPaths);
    this.allowedOrigins = Set.copyOf(b.allowedOrigins);
    this.renewalEmail = b.renewalEmail;
    this.renewalPortal = b.renewalPortal;
    this.renewalServer = b.renewalServer;
    this.stateDir = b.stateDir;
    this.renewalTimeout = b.renewalTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Defaults everywhere: routes under {@value #DEFAULT_BASE_PATH}, no renewal channel. */
  public static WebSettings defaults() {
    return builder().build();
  }

  /** Where the license routes live, e.g. {@code /license}; no trailing slash. */
  public String basePath() {
    return basePath;
  }

  /** How pages name the product: "Acme Notes is locked". */
  public String productName() {
    return productName;
  }

  /** How pages name the vendor: "Send the request to Acme Software". */
  public String vendorName() {
    return vendorName;
  }

  /**
   * Product paths the mode gate never touches (a health check, a status page). Each matches itself
   * and everything below it.
   */
  public List<String> exemptPaths() {
    return exemptPaths;
  }

  /**
   * Origins ({@code https://host[:port]}) allowed to post to the license routes besides the
   * request's own host: needed behind a reverse proxy that rewrites the Host header.
   */
  public Set<String> allowedOrigins() {
    return allowedOrigins;
  }

  /** The address a renewal e-mail goes to, when the renewal channel is e-mail. */
  public Optional<String> renewalEmail() {
    return renewalEmail;
  }

  /** The vendor's renewal page; the request's details are added as query parameters. */
  public Optional<URI> renewalPortal() {
    return renewalPortal;
  }

  /** The Keyturn server the "Renew" button posts to, when the product checks in online. */
  public Optional<URI> renewalServer() {
    return renewalServer;
  }

  /** The license manager's state directory: where the renewal request finds its credential. */
  public Optional<Path> stateDir() {
    return stateDir;
  }

  public Duration renewalTimeout() {
    return renewalTimeout;
  }

  /** {@code POST} target on the server: its base address with {@value #RENEWAL_REQUESTS_PATH}. */
  public Optional<URI> renewalEndpoint() {
    return renewalServer.map(
        s -> {
          String base = s.toString();
          while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
          }
          return URI.create(base + RENEWAL_REQUESTS_PATH);
        });
  }

  /** Whether a product path is one the mode gate leaves alone. */
  boolean isExempt(String path) {
    for (String prefix : exemptPaths) {
      if (path.equals(prefix) || path.startsWith(prefix + "/")) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code path} is one of this module's own routes. */
  boolean isLicenseRoute(String path) {
    return path.equals(basePath) || path.startsWith(basePath + "/");
  }

  /** Validates on {@link #build()}. */
  public static final class Builder {
    private String basePath = DEFAULT_BASE_PATH;
    private String productName = DEFAULT_PRODUCT_NAME;
    private String vendorName = DEFAULT_VENDOR_NAME;
    private final List<String> exemptPaths = new ArrayList<>();
    private final Set<String> allowedOrigins = new LinkedHashSet<>();
    private Optional<String> renewalEmail = Optional.empty();
    private Optional<URI> renewalPortal = Optional.empty();
    private Optional<URI> renewalServer = Optional.empty();
    private Optional<Path> stateDir = Optional.empty();
    private Duration renewalTimeout = DEFAULT_RENEWAL_TIMEOUT;

    private Builder() {}

    public Builder basePath(String basePath) {
      this.basePath = Objects.requireNonNull(basePath, "basePath");
      return this;
    }

    public Builder productName(String productName) {
      this.productName = Objects.requireNonNull(productName, "productName");
      return this;
    }

    public Builder vendorName(String vendorName) {
      this.vendorName = Objects.requireNonNull(vendorName, "vendorName");
      return this;
    }

    /** A product path (and everything below it) the mode gate never touches. */
    public Builder exemptPath(String path) {
      exemptPaths.add(Objects.requireNonNull(path, "path"));
      return this;
    }

    public Builder allowedOrigin(String origin) {
      allowedOrigins.add(Objects.requireNonNull(origin, "origin"));
      return this;
    }

    /** "Renew" opens an e-mail to this address, pre-filled with the license's details. */
    public Builder renewalEmail(String address) {
      this.renewalEmail = Optional.of(Objects.requireNonNull(address, "address"));
      return this;
    }

    /** "Renew" opens this page, with the license's details as query parameters. */
    public Builder renewalPortal(URI portal) {
      this.renewalPortal = Optional.of(Objects.requireNonNull(portal, "portal"));
      return this;
    }

    /**
     * "Renew" posts a renewal request to the Keyturn server (the product checks in there). The
     * request authenticates like a check-in, with the token of the license in force, which the
     * module finds in the license manager's state directory. An e-mail address or portal, when also
     * set, is offered if the server cannot be reached.
     */
    public Builder renewalServer(URI server, Path stateDir) {
      this.renewalServer = Optional.of(Objects.requireNonNull(server, "server"));
      this.stateDir = Optional.of(Objects.requireNonNull(stateDir, "stateDir"));
      return this;
    }

    public Builder renewalTimeout(Duration timeout) {
      this.renewalTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public WebSettings build() {
      if (!SIMPLE_PATH.matcher(basePath).matches()) {
        throw new WebException(
            "basePath must be a path like /license (letters, digits, '.', '_', '~', '-'"
                + " segments, no trailing slash), was '"
                + basePath
                + "'");
      }
      if (productName.isBlank() || vendorName.isBlank()) {
        throw new WebException("productName and vendorName must not be blank");
      }
      for (String p : exemptPaths) {
        if (!SIMPLE_PATH.matcher(p).matches()) {
          throw new WebException(
              "exempt paths must look like /health (no trailing slash, no wildcards), was '"
                  + p
                  + "'");
        }
        if (p.equals(basePath) || p.startsWith(basePath + "/")) {
          throw new WebException(
              "exempt path '" + p + "' lies under basePath " + basePath + ", which is never gated");
        }
      }
      for (String o : allowedOrigins) {
        if (!ORIGIN.matcher(o).matches()) {
          throw new WebException(
              "allowed origins look like https://host or https://host:8443, was '" + o + "'");
        }
      }
      renewalEmail.ifPresent(
          e -> {
            if (!EMAIL.matcher(e).matches()) {
              throw new WebException("renewalEmail must be a plain address, was '" + e + "'");
            }
          });
      renewalPortal.ifPresent(p -> requireHttp("renewalPortal", p));
      renewalServer.ifPresent(
          s -> {
            requireHttp("renewalServer", s);
            if (s.getQuery() != null || s.getFragment() != null) {
              throw new WebException(
                  "renewalServer must be a base address without query, was '" + s + "'");
            }
          });
      if (renewalTimeout.compareTo(Duration.ofMillis(100)) < 0
          || renewalTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new WebException(
            "renewalTimeout must be between 100 ms and 1 min, was " + renewalTimeout);
      }
      return new WebSettings(this);
    }

    private static void requireHttp(String name, URI uri) {
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
        throw new WebException(name + " must be an http(s) address with a host, was '" + uri + "'");
      }
    }
  }
}
