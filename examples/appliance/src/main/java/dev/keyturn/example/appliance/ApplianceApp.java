package dev.keyturn.example.appliance;

import dev.keyturn.client.LicenseManager;
import dev.keyturn.client.web.KeyturnFilter;
import dev.keyturn.client.web.WebSettings;
import dev.keyturn.core.crypto.KeyRing;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The notes app on embedded Jetty, with the Keyturn client and its web filter in front: the whole
 * integration a vendor writes is {@link #start}'s dozen lines.
 */
public final class ApplianceApp implements AutoCloseable {
  public static final String PRODUCT = "Acme Notes";

  private final Server server;
  private final URI url;
  private final LicenseManager licenses;
  private final NoteStore notes;
  private final Optional<Demo> demo;

  private ApplianceApp(
      Server server, URI url, LicenseManager licenses, NoteStore notes, Optional<Demo> demo) {
    this.server = server;
    this.url = url;
    this.licenses = licenses;
    this.notes = notes;
    this.demo = demo;
  }

  /**
   * What to start.
   *
   * @param dataDir the product's data: {@code notes.json}, and {@code license/} for the client
   * @param port 0 for any free port
   * @param trustedKeys the vendor's public keys; the demo's own when {@code demo} is present
   * @param web where "Renew" leads, and so on; the app adds its name and exempt paths
   * @param manager last touches to the license manager (tests turn its background thread off)
   */
  public record Config(
      Path dataDir,
      String host,
      int port,
      Clock clock,
      KeyRing trustedKeys,
      UnaryOperator<WebSettings.Builder> web,
      UnaryOperator<LicenseManager.Builder> manager,
      Optional<Demo> demo) {
    public Config {
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(trustedKeys, "trustedKeys");
      Objects.requireNonNull(web, "web");
      Objects.requireNonNull(manager, "manager");
      Objects.requireNonNull(demo, "demo");
    }
  }

  public static ApplianceApp start(Config c) throws Exception {
    NoteStore notes = new NoteStore(c.dataDir().resolve("notes.json"), c.clock());
    LicenseManager licenses =
        c.manager()
            .apply(
                LicenseManager.builder()
                    .stateDir(c.dataDir().resolve("license"))
                    .trustedKeys(c.trustedKeys())
                    .clock(c.clock())
                    .usage(() -> Map.of("users", 1L, NotesServlet.LIMIT, notes.count())))
            .build();
    c.demo().ifPresent(d -> d.attach(licenses));
    WebSettings.Builder web = WebSettings.builder().productName(PRODUCT).exemptPath("/health");
    if (c.demo().isPresent()) {
      web.exemptPath("/demo").vendorName("the demo vendor");
    }
    WebSettings settings = c.web().apply(web).build();

    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(c.host());
    connector.setPort(c.port());
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addFilter(
        new FilterHolder(new KeyturnFilter(licenses, settings)),
        "/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(
        new ServletHolder(new NotesServlet(notes, licenses, c.demo().isPresent())), "/");
    c.demo()
        .ifPresent(
            d -> context.addServlet(new ServletHolder(new DemoServlet(d, licenses)), "/demo/*"));
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      // A failed start (the port is taken) leaves Jetty's threads running; stop them too.
      try {
        server.stop();
      } catch (Exception stopping) {
        e.addSuppressed(stopping);
      }
      licenses.close();
      throw e;
    }
    String host = c.host().equals("0.0.0.0") ? "localhost" : c.host();
    URI url = URI.create("http://" + host + ":" + connector.getLocalPort() + "/");
    return new ApplianceApp(server, url, licenses, notes, c.demo());
  }

  public URI url() {
    return url;
  }

  public LicenseManager licenses() {
    return licenses;
  }

  public NoteStore notes() {
    return notes;
  }

  public Optional<Demo> demo() {
    return demo;
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("the web server did not stop cleanly", e);
    } finally {
      licenses.close();
    }
  }
}
