package dev.keyturn.server.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.keyturn.server.delivery.WebhookEgress.Destination;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pinned connection against real receivers on loopback: it goes to the checked addresses only,
 * and still speaks to the URL's host by name (Host header, SNI, certificate check).
 */
class PinnedHttpTest {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @TempDir static Path dir;
  private static KeyStore hooksCertificate;
  private static KeyStore otherCertificate;
  private static SSLContext trustingBoth;

  /** Real certificates, made by the JDK's keytool: one for the webhook's name, one for another. */
  @BeforeAll
  static void certificates() throws Exception {
    hooksCertificate = selfSigned("hooks.example.test");
    otherCertificate = selfSigned("other.example.test");
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("hooks", hooksCertificate.getCertificate("key"));
    trust.setCertificateEntry("other", otherCertificate.getCertificate("key"));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    trustingBoth = SSLContext.getInstance("TLS");
    trustingBoth.init(null, tmf.getTrustManagers(), null);
  }

  @Test
  void the_connection_goes_to_the_checked_address_though_the_name_means_another() throws Exception {
    // Two receivers on one port: "localhost" (127.0.0.1), and 127.0.0.2, which the check pinned.
    List<String> atLocalhost = new CopyOnWriteArrayList<>();
    List<String> atChecked = new CopyOnWriteArrayList<>();
    HttpServer localhost = receiver(new InetSocketAddress(LOOPBACK, 0), atLocalhost);
    int port = localhost.getAddress().getPort();
    InetAddress checked = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
    HttpServer pinned = receiver(new InetSocketAddress(checked, port), atChecked);
    try {
      Destination to =
          new Destination(URI.create("http://localhost:" + port + "/hook"), List.of(checked));
      int status =
          new PinnedHttp(SSLContext.getDefault(), Duration.ofSeconds(5)).post(to, Map.of(), "{}");

      assertThat(status).isEqualTo(200);
      assertThat(atChecked).containsExactly("localhost:" + port);
      assertThat(atLocalhost).isEmpty();
    } finally {
      localhost.stop(0);
      pinned.stop(0);
    }
  }

  @Test
  void an_unreachable_checked_address_fails_rather_than_trying_what_the_name_means_now()
      throws Exception {
    List<String> atLocalhost = new CopyOnWriteArrayList<>();
    HttpServer localhost = receiver(new InetSocketAddress(LOOPBACK, 0), atLocalhost);
    try {
      // TEST-NET-3: public, and nothing of this test listens there.
      InetAddress checked = InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 10});
      Destination to =
          new Destination(
              URI.create("http://localhost:" + localhost.getAddress().getPort() + "/hook"),
              List.of(checked));
      PinnedHttp http = new PinnedHttp(SSLContext.getDefault(), Duration.ofSeconds(2));

      assertThatThrownBy(() -> http.post(to, Map.of(), "{}")).isInstanceOf(IOException.class);
      assertThat(atLocalhost).isEmpty();
    } finally {
      localhost.stop(0);
    }
  }

  /** Answers 200 and records each request's Host header. */
  private static HttpServer receiver(InetSocketAddress at, List<String> hosts) throws IOException {
    HttpServer receiver = HttpServer.create(at, 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          hosts.add(exchange.getRequestHeaders().getFirst("Host"));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    receiver.start();
    return receiver;
  }

  @Test
  void tls_speaks_to_the_url_s_name_on_the_pinned_address() throws Exception {
    List<String> sni = new CopyOnWriteArrayList<>();
    List<String> hosts = new CopyOnWriteArrayList<>();
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpsServer receiver = https(hooksCertificate, sni);
    receiver.createContext(
        "/hook",
        exchange -> {
          hosts.add(exchange.getRequestHeaders().getFirst("Host"));
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    try {
      int port = receiver.getAddress().getPort();
      // The system's DNS does not know this name: only the pinned address can reach the receiver.
      Destination to =
          new Destination(
              URI.create("https://hooks.example.test:" + port + "/hook"), List.of(LOOPBACK));
      int status =
          new PinnedHttp(trustingBoth, Duration.ofSeconds(5))
              .post(to, Map.of("Keyturn-Delivery", "42"), "{\"ok\":true}");

      assertThat(status).isEqualTo(204);
      assertThat(sni).containsExactly("hooks.example.test");
      assertThat(hosts).containsExactly("hooks.example.test:" + port);
      assertThat(bodies).containsExactly("{\"ok\":true}");
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void a_certificate_for_another_name_is_refused() throws Exception {
    HttpsServer receiver = https(otherCertificate, new CopyOnWriteArrayList<>());
    List<String> seen = new CopyOnWriteArrayList<>();
    receiver.createContext(
        "/hook",
        exchange -> {
          seen.add("request");
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    receiver.start();
    try {
      Destination to =
          new Destination(
              URI.create("https://hooks.example.test:" + receiver.getAddress().getPort() + "/hook"),
              List.of(LOOPBACK));
      assertThatThrownBy(
              () -> new PinnedHttp(trustingBoth, Duration.ofSeconds(5)).post(to, Map.of(), "{}"))
          .isInstanceOf(IOException.class);
      assertThat(seen).isEmpty();
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void a_receiver_that_trickles_its_answer_is_cut_off_at_the_timeout() throws Exception {
    try (ServerSocket trickler = new ServerSocket(0, 1, LOOPBACK)) {
      Thread serving =
          new Thread(
              () -> {
                try (Socket s = trickler.accept();
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream()) {
                  in.read(new byte[4096]);
                  for (byte b : "HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII)) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(300); // always within the socket timeout, never done
                  }
                  Thread.sleep(60_000);
                } catch (IOException | InterruptedException e) {
                  // the client hung up: what this test wants
                }
              });
      serving.setDaemon(true);
      serving.start();
      Destination to =
          new Destination(
              URI.create("http://trickle.example.test:" + trickler.getLocalPort() + "/hook"),
              List.of(LOOPBACK));
      PinnedHttp http = new PinnedHttp(SSLContext.getDefault(), Duration.ofSeconds(1));
      assertTimeoutPreemptively(
          Duration.ofSeconds(8),
          () ->
              assertThatThrownBy(() -> http.post(to, Map.of(), "{}"))
                  .isInstanceOf(IOException.class));
    }
  }

  private static HttpsServer https(KeyStore certificate, List<String> sni) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
    kmf.init(certificate, PASSWORD);
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);
    HttpsServer receiver = HttpsServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    receiver.setHttpsConfigurator(
        new HttpsConfigurator(server) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = server.getDefaultSSLParameters();
            p.setSNIMatchers(
                List.of(
                    new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                      @Override
                      public boolean matches(SNIServerName name) {
                        sni.add(((SNIHostName) name).getAsciiName());
                        return true;
                      }
                    }));
            params.setSSLParameters(p);
          }
        });
    return receiver;
  }

  private static KeyStore selfSigned(String name) throws Exception {
    Path file = dir.resolve(name + ".p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "key",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + name,
                "-ext",
                "SAN=dns:" + name,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                file.toString(),
                "-storepass",
                new String(PASSWORD))
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor()).as(output).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PASSWORD);
    }
    return store;
  }
}
