package dev.keyturn.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.delivery.DeliveryWorker;
import dev.keyturn.server.lifecycle.Sweep;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.BrowserTest;
import jakarta.mail.Address;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The portal's browser tests: the server with a real SMTP server (GreenMail) behind its outbox, and
 * Chromium. Subclasses share one server (this class's properties), with its own H2 database and a
 * public URL unlike the test's, so a link taken from a mail proves what the mail said.
 */
abstract class PortalBrowserSupport extends BrowserTest {
  static final String PUBLIC_URL = "https://licenses.vendor.example";
  private static final int SMTP_PORT = freePort();
  private static final Pattern SIGN_IN_LINK =
      Pattern.compile(Pattern.quote(PUBLIC_URL) + "(/portal/sign-in\\?token=[A-Za-z0-9_-]+)");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  static GreenMail smtp;

  @Autowired Sweep sweep;
  @Autowired DeliveryWorker deliveries;

  @DynamicPropertySource
  static void portalServer(DynamicPropertyRegistry registry) {
    registry.add(
        "spring.datasource.url",
        () ->
            "jdbc:h2:mem:keyturn-portal-test;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> SMTP_PORT);
    registry.add("keyturn.notifications.from", () -> "licenses@vendor.example");
    registry.add("keyturn.public-url", () -> PUBLIC_URL);
    // Billing Portal links exist for subscriptions with a Stripe customer (no call to Stripe is
    // made until one is clicked through).
    registry.add("keyturn.stripe.api-key", () -> "sk_test_portal");
    registry.add("keyturn.stripe.webhook-secret", () -> "whsec_portal");
  }

  @BeforeAll
  static void startSmtp() {
    smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"));
    smtp.start();
  }

  @AfterAll
  static void stopSmtp() {
    if (smtp != null) {
      smtp.stop();
    }
  }

  TestClock testClock() {
    return (TestClock) clock;
  }

  /** A customer subscription with these admin contacts (and a Stripe customer when asked). */
  String subscriptionWith(String name, List<String> admins, boolean stripe) {
    Map<String, Object> body = subscription(name);
    body.put("contacts", Map.of("admin_emails", admins, "billing_emails", List.of()));
    if (stripe) {
      body.put("stripe_customer_id", "cus_" + name.replace(" ", ""));
    }
    var created = as(Role.SALES).post("/api/v1/subscriptions", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.field("id");
  }

  /** Asks for a link on the sign-in page; returns the page's answer. */
  String askForLink(String email) {
    open("/portal");
    driver.findElement(By.id("email")).sendKeys(email);
    driver.findElement(By.id("send-link")).click();
    waitUntil(d -> first(By.id("sent")).or(() -> first(By.id("error"))).isPresent());
    return driver.findElement(By.tagName("main")).getText();
  }

  /**
   * Asks for a link and returns its path from the mail that arrived over SMTP. The clock moves 4
   * minutes first, so a class's sign-ins stay under the rate limits (all come from 127.0.0.1).
   */
  String linkFromMail(String email) throws Exception {
    testClock().advance(Duration.ofMinutes(4));
    int before = mailsTo(email, "sign-in link").size();
    assertThat(askForLink(email)).contains("a sign-in link is on its way");
    deliveries.runOnce();
    List<MimeMessage> mails = mailsTo(email, "sign-in link");
    assertThat(mails).hasSize(before + 1);
    String text = text(mails.get(mails.size() - 1));
    Matcher m = SIGN_IN_LINK.matcher(text);
    assertThat(m.find()).as(text).isTrue();
    return m.group(1);
  }

  /** Follows the mailed link and presses "Sign in"; returns the path it was. */
  String signInByMail(String email) throws Exception {
    String link = linkFromMail(email);
    follow(link);
    waitUntil(d -> d.getCurrentUrl().endsWith("/portal/subscriptions"));
    return link;
  }

  void follow(String link) {
    open(link);
    driver.findElement(By.id("continue")).click();
    waitUntil(d -> !d.getCurrentUrl().contains("token="));
  }

  /** Mails to {@code to} whose subject contains {@code subject}, in order of arrival. */
  List<MimeMessage> mailsTo(String to, String subject) throws Exception {
    List<MimeMessage> found = new ArrayList<>();
    for (MimeMessage m : smtp.getReceivedMessages()) {
      for (Address a : m.getAllRecipients()) {
        if (a.toString().equalsIgnoreCase(to) && m.getSubject().contains(subject)) {
          found.add(m);
        }
      }
    }
    return found;
  }

  /** The plain-text part, decoded. */
  static String text(Part part) throws Exception {
    if (part.isMimeType("text/plain")) {
      return (String) part.getContent();
    }
    if (part.getContent() instanceof Multipart multipart) {
      for (int i = 0; i < multipart.getCount(); i++) {
        String t = text(multipart.getBodyPart(i));
        if (!t.isEmpty()) {
          return t;
        }
      }
    }
    return "";
  }

  /** A request with the browser's session cookie, redirects not followed. */
  HttpResponse<String> withBrowserSession(String method, String path) throws Exception {
    Cookie session = driver.manage().getCookieNamed("JSESSIONID");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (session != null) {
      request.header("Cookie", "JSESSIONID=" + session.getValue());
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
