package dev.keyturn.server.delivery.internal;

import dev.keyturn.server.delivery.WebhookEgress.Destination;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.BasicHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * One HTTP POST on a connection of its own, made to the addresses a {@link Destination} checked and
 * to no other: the name is never resolved again, so a DNS answer that changed since the check (DNS
 * rebinding) cannot send the request to loopback or the metadata service. The request still names
 * the URL's host: in the {@code Host} header, in TLS's SNI, and in the certificate check.
 */
final class PinnedHttp {
  private static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "keyturn-webhook-deadlines");
            t.setDaemon(true);
            return t;
          });

  private final TlsSocketStrategy tls;
  private final Duration timeout;

  /**
   * @param trust whose certificates a receiver's must chain to (the JVM's trust store on the
   *     server)
   * @param timeout the longest the whole exchange may take, connecting included
   */
  PinnedHttp(SSLContext trust, Duration timeout) {
    this.tls = ClientTlsStrategyBuilder.create().setSslContext(trust).buildClassic();
    this.timeout = timeout;
  }

  /**
   * Posts {@code body} and returns the status code; the answer's body is never read.
   *
   * @throws IOException when no connection could be made or no answer came in time
   */
  int post(Destination to, Map<String, String> headers, String body) throws IOException {
    Timeout each = Timeout.of(timeout);
    BasicHttpClientConnectionManager connection =
        BasicHttpClientConnectionManager.create(
            DefaultSchemePortResolver.INSTANCE,
            pinnedTo(to),
            RegistryBuilder.<TlsSocketStrategy>create().register("https", tls).build(),
            ManagedHttpClientConnectionFactory.INSTANCE);
    connection.setConnectionConfig(
        ConnectionConfig.custom().setConnectTimeout(each).setSocketTimeout(each).build());
    CloseableHttpClient client =
        HttpClients.custom()
            .setConnectionManager(connection)
            .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(each).build())
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableCookieManagement()
            .disableAuthCaching()
            .build();
    HttpPost post = new HttpPost(to.uri());
    headers.forEach(post::setHeader);
    post.setEntity(
        new StringEntity(body, ContentType.create("application/json", StandardCharsets.UTF_8)));
    // A receiver that trickles its answer byte by byte still gets no more than the timeout.
    ScheduledFuture<?> deadline =
        DEADLINES.schedule(post::cancel, timeout.toMillis(), TimeUnit.MILLISECONDS);
    try {
      ClassicHttpResponse response = client.executeOpen(null, post, null);
      return response.getCode();
    } finally {
      deadline.cancel(false);
      // Closed at once, not drained: whatever the receiver still sends is not read.
      client.close(CloseMode.IMMEDIATE);
    }
  }

  /** Answers the destination's host with the checked addresses, and any other name not at all. */
  private static DnsResolver pinnedTo(Destination to) {
    String host = bare(to.uri().getHost());
    return new DnsResolver() {
      @Override
      public InetAddress[] resolve(String name) throws UnknownHostException {
        if (!bare(name).equals(host)) {
          throw new UnknownHostException(name + " is not this delivery's host " + host);
        }
        return to.addresses().toArray(InetAddress[]::new);
      }

      @Override
      public String resolveCanonicalHostname(String name) {
        return name;
      }
    };
  }

  /** Without IPv6 brackets, lower case: how a URI and the client may each spell one host. */
  private static String bare(String host) {
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return h.toLowerCase(Locale.ROOT);
  }
}
