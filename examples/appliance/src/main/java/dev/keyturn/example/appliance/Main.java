package dev.keyturn.example.appliance;

import dev.keyturn.client.SettableClock;
import dev.keyturn.client.web.WebSettings;
import dev.keyturn.core.KeyturnException;
import dev.keyturn.core.crypto.KeyRing;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code java -jar keyturn-appliance.jar --demo}: starts the notes app and prints its URL. */
@Command(
    name = "keyturn-appliance",
    mixinStandardHelpOptions = true,
    description = {
      "Acme Notes: a tiny notes app that embeds the Keyturn client and its web module.",
      "",
      "Try it:  java -jar keyturn-appliance.jar --demo",
      "then open the printed URL, and /demo to move the clock through the license's stages."
    })
public final class Main implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--demo",
      description =
          "Demo mode: a fresh data folder, a vendor key made on the spot, a license that expires"
              + " in 31 days, and a clock you move at /demo.")
  boolean demo;

  @Option(
      names = "--preset",
      defaultValue = "appliance",
      description =
          "Demo license policy: appliance (60 days of grace) or subscription (7 days, read-only). Default: ${DEFAULT-VALUE}.")
  String preset;

  @Option(
      names = "--data",
      description =
          "Data folder (notes and license state). Default: a new temporary folder with --demo, else keyturn-data/appliance.")
  Path data;

  @Option(
      names = "--trust",
      description =
          "The vendor's public key file(s): <id>.public.pem or a folder of them. Required without --demo.")
  Path trust;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "Port; 0 for any free one. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--renewal-email",
      description =
          "\"Renew\" opens an e-mail to this address. Default with --demo: renewals@vendor.example.")
  String renewalEmail;

  @Option(names = "--renewal-portal", description = "\"Renew\" opens this page.")
  URI renewalPortal;

  @Option(
      names = "--renewal-server",
      description = "\"Renew\" posts a renewal request to this Keyturn server.")
  URI renewalServer;

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!demo && trust == null) {
      err.println("Give --trust <the vendor's public keys>, or try it with --demo.");
      return 2;
    }
    ApplianceApp app;
    try {
      app = demo ? startDemo(out) : startProduct();
    } catch (KeyturnException | IllegalArgumentException e) {
      err.println("Cannot start: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      if (!portTaken(e)) {
        throw e;
      }
      err.println(
          "Cannot start: port "
              + port
              + " on "
              + host
              + " is taken (by the Keyturn server, perhaps); pick another with --port 8081,"
              + " or --port 0 for any free one.");
      return 1;
    }
    out.println(ApplianceApp.PRODUCT + " is running at " + app.url());
    if (demo) {
      out.println("Demo controls:  " + app.url().resolve("/demo"));
    }
    out.println("License page:   " + app.url().resolve("/license/"));
    out.println("Stop with Ctrl+C.");
    out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(app)));
    app.join();
    return 0;
  }

  private ApplianceApp startDemo(PrintWriter out) throws Exception {
    Path dir = data != null ? data : Files.createTempDirectory("keyturn-demo-");
    // The demo's clock starts at the real time and keeps up with it; /demo moves it further.
    SettableClock clock = new SettableClock(Clock.systemUTC().instant());
    followRealTime(clock);
    Demo d = Demo.create(clock, dir.resolve("vendor-keys"), preset);
    out.println("Demo data in " + dir + " (vendor key in " + dir.resolve("vendor-keys") + ")");
    String email = renewalEmail != null ? renewalEmail : "renewals@vendor.example";
    return ApplianceApp.start(
        new ApplianceApp.Config(
            dir, host, port, clock, d.trustedKeys(), renewal(email, dir), b -> b, Optional.of(d)));
  }

  private ApplianceApp startProduct() throws Exception {
    Path dir = data != null ? data : Path.of("keyturn-data", "appliance");
    return ApplianceApp.start(
        new ApplianceApp.Config(
            dir,
            host,
            port,
            Clock.systemUTC(),
            KeyRing.builder().addPath(trust).build(),
            renewal(renewalEmail, dir),
            b -> b,
            Optional.empty()));
  }

  private UnaryOperator<WebSettings.Builder> renewal(String email, Path dir) {
    return b -> {
      if (email != null) {
        b.renewalEmail(email);
      }
      if (renewalPortal != null) {
        b.renewalPortal(renewalPortal);
      }
      if (renewalServer != null) {
        b.renewalServer(renewalServer, dir.resolve("license"));
      }
      return b;
    };
  }

  /** Time passes for the demo clock as it does for everyone: one second per second. */
  private static void followRealTime(SettableClock clock) {
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "demo-clock");
              t.setDaemon(true);
              return t;
            });
    long[] last = {System.nanoTime()};
    s.scheduleAtFixedRate(
        () -> {
          long now = System.nanoTime();
          clock.advance(Duration.ofNanos(now - last[0]));
          last[0] = now;
        },
        1,
        1,
        TimeUnit.SECONDS);
  }

  /** Jetty wraps the socket's {@link BindException} in its own IOException. */
  private static boolean portTaken(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  private static void closeQuietly(ApplianceApp app) {
    try {
      app.close();
    } catch (RuntimeException e) {
      // Shutting down anyway.
    }
  }
}
