package dev.keyturn.client.checkin;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where and how often the client checks in with the vendor's Keyturn server. Leave it out of the
 * {@code LicenseManager} builder for air-gapped installs: nothing then ever leaves the machine.
 */
public final class CheckInSettings {
  public static final Duration DEFAULT_INTERVAL = Duration.ofHours(12);
  public static final Duration DEFAULT_RETRY_AFTER_FAILURE = Duration.ofHours(1);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Bounds on the server's {@code check_in_after}, so a bad answer can neither flood nor silence.
   */
  public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);

  public static final Duration MAX_INTERVAL = Duration.ofDays(7);
  public static final String DEFAULT_CLIENT_VERSION = "keyturn-client/0.1.0";
  public static final String PATH = "/api/v1/check-in";

  /** What the server takes as an installation id or a node name. */
  public static final Pattern WIRE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final URI server;
  private final Duration interval;
  private final Duration retryAfterFailure;
  private final Duration timeout;
  private final String clientVersion;
  private final String installationId;
  private final String node;

  private CheckInSettings(Builder b) {
    this.installationId = b.installationId;
    this.node = b.node;
    this.server = b.server;
    this.interval = b.interval;
    this.retryAfterFailure = b.retryAfterFailure;
    this.timeout = b.timeout;
    this.clientVersion = b.clientVersion;
  }

  /**
   * @param server the server's base address, e.g. {@code https://licenses.vendor.example}
   */
  public static Builder builder(URI server) {
    return new Builder(server);
  }

  public URI server() {
    return server;
  }

  /** {@code POST} target: the base address with {@value #PATH}. */
  public URI endpoint() {
    String base = server.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + PATH);
  }

  /** Until the server first says otherwise with {@code check_in_after}. */
  public Duration interval() {
    return interval;
  }

  public Duration retryAfterFailure() {
    return retryAfterFailure;
  }

  public Duration timeout() {
    return timeout;
  }

  public String clientVersion() {
    return clientVersion;
  }

  /**
   * The installation id every node of the product sends (e.g. read from the product's database);
   * empty: the client makes one per state directory ({@code instance.id}), right for a single node.
   */
  public Optional<String> installationId() {
    return Optional.ofNullable(installationId);
  }

  /** This node's name within the installation, sent as {@code node}; empty for a single node. */
  public Optional<String> node() {
    return Optional.ofNullable(node);
  }

  static void requireWireId(String name, String value) {
    if (!WIRE_ID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          name + " must be 1 to 128 of A-Z, a-z, 0-9, '.', '_', ':' or '-', was '" + value + "'");
    }
  }

  /** Clamps a server-given interval into [{@link #MIN_INTERVAL}, {@link #MAX_INTERVAL}]. */
  public static Duration bounded(Duration d) {
    return d.compareTo(MIN_INTERVAL) < 0
        ? MIN_INTERVAL
        : d.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : d;
  }

  /** Validates on {@link #build()}. */
  public static final class Builder {
    private final URI server;
    private Duration interval = DEFAULT_INTERVAL;
    private Duration retryAfterFailure = DEFAULT_RETRY_AFTER_FAILURE;
    private Duration timeout = DEFAULT_TIMEOUT;
    private String clientVersion = DEFAULT_CLIENT_VERSION;
    private String installationId;
    private String node;

    private Builder(URI server) {
      this.server = Objects.requireNonNull(server, "server");
    }

    public Builder interval(Duration interval) {
      this.interval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    public Builder retryAfterFailure(Duration retryAfterFailure) {
      this.retryAfterFailure = Objects.requireNonNull(retryAfterFailure, "retryAfterFailure");
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder clientVersion(String clientVersion) {
      this.clientVersion = Objects.requireNonNull(clientVersion, "clientVersion");
      return this;
    }

    /**
     * A product running as several nodes gives each the same installation id (e.g. a row in its
     * database) and its own node name: the server then counts one installation with several nodes,
     * never an {@code instance.conflict}.
     */
    public Builder installationId(String installationId) {
      this.installationId = Objects.requireNonNull(installationId, "installationId");
      return this;
    }

    /** This node's name, e.g. the host name; sent with each check-in. */
    public Builder node(String node) {
      this.node = Objects.requireNonNull(node, "node");
      return this;
    }

    public CheckInSettings build() {
      if (installationId != null) {
        requireWireId("installationId", installationId);
      }
      if (node != null) {
        requireWireId("node", node);
      }
      String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("https") && !scheme.equals("http")) {
        throw new IllegalArgumentException(
            "check-in server must be an http(s) address, was '" + server + "'");
      }
      if (server.getHost() == null || server.getQuery() != null || server.getFragment() != null) {
        throw new IllegalArgumentException(
            "check-in server must be a base address with a host and no query, was '"
                + server
                + "'");
      }
      requireWithin("interval", interval, MIN_INTERVAL, MAX_INTERVAL);
      requireWithin("retryAfterFailure", retryAfterFailure, MIN_INTERVAL, MAX_INTERVAL);
      requireWithin("timeout", timeout, Duration.ofMillis(100), Duration.ofMinutes(5));
      if (clientVersion.isBlank()) {
        throw new IllegalArgumentException("clientVersion must not be blank");
      }
      return new CheckInSettings(this);
    }

    private static void requireWithin(String name, Duration d, Duration min, Duration max) {
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            name + " must be between " + min + " and " + max + ", was " + d);
      }
    }
  }
}
