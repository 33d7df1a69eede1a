package dev.keyturn.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ConsoleSession;
import dev.keyturn.server.support.OidcProvider;
import dev.keyturn.server.support.ServerTest;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Console sign-in through a real OpenID Connect provider (in this JVM), over plain HTTP: the
 * authorization code flow end to end, with the provider's own login form. Password sign-in is kept
 * for the break-glass account {@code admin} only.
 */
abstract class SingleSignOnTests extends ServerTest {
  private static final AtomicInteger PEOPLE = new AtomicInteger();
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  @DynamicPropertySource
  static void singleSignOn(DynamicPropertyRegistry registry) {
    OidcProvider.register(registry, "admin");
  }

  /** A browser of its own, behind the (trusted) proxy that says it is at {@code address}. */
  private final class Person {
    private final HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final String address;

    Person(String address) {
      this.address = address;
    }

    /**
     * Signs in at the provider as {@code subject} carrying {@code claims}; returns where it lands.
     */
    String signIn(String subject, String claims) {
      HttpResponse<String> start = get("http://localhost:" + port + "/oauth2/authorization/oidc");
      assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
      String authorize = location(start);
      assertThat(authorize)
          .startsWith(OidcProvider.issuer() + "/authorize")
          .contains("code_challenge=");
      HttpResponse<String> loginPage = get(authorize);
      assertThat(loginPage.body()).contains("name=\"username\"").contains("name=\"claims\"");
      HttpResponse<String> signedIn =
          post(authorize, Map.of("username", subject, "claims", claims));
      assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
      String callback = location(signedIn);
      assertThat(callback).startsWith("http://localhost:" + port + "/login/oauth2/code/oidc?");
      HttpResponse<String> landed = get(callback);
      assertThat(landed.statusCode()).as(landed.body()).isEqualTo(302);
      return location(landed);
    }

    HttpResponse<String> console(String path) {
      return get("http://localhost:" + port + path);
    }

    /** The top bar's sign-out button. */
    HttpResponse<String> signOut() {
      Matcher csrf = CSRF.matcher(console("/console").body());
      assertThat(csrf.find()).isTrue();
      return post("http://localhost:" + port + "/console/logout", Map.of("_csrf", csrf.group(1)));
    }

    HttpResponse<String> follow(HttpResponse<String> redirect) {
      return get(location(redirect));
    }

    private HttpResponse<String> get(String url) {
      return send(HttpRequest.newBuilder(URI.create(url)).header("X-Forwarded-For", address).GET());
    }

    private HttpResponse<String> post(String url, Map<String, String> fields) {
      return send(
          HttpRequest.newBuilder(URI.create(url))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(ConsoleSession.formBody(fields))));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
      try {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static String location(HttpResponse<?> response) {
    return response.headers().firstValue("Location").orElse("");
  }

  private static String claims(String username, String... groups) {
    StringBuilder json =
        new StringBuilder("{\"preferred_username\": \"" + username + "\", \"groups\": [");
    for (int i = 0; i < groups.length; i++) {
      json.append(i == 0 ? "" : ", ").append('"').append(groups[i]).append('"');
    }
    return json.append("]}").toString();
  }

  private static String person() {
    return "ada-" + System.nanoTime() % 1_000_000 + "-" + PEOPLE.incrementAndGet();
  }

  private JsonNode user(String username) {
    for (JsonNode u : admin().get("/api/v1/users").json()) {
      if (u.get("username").asString().equals(username)) {
        return u;
      }
    }
    return null;
  }

  private String events(String type) {
    return admin().get("/api/v1/events?type=" + type + "&limit=200").body();
  }

  @Test
  void the_first_sign_in_makes_the_user_with_the_role_of_their_groups_and_audits_the_address() {
    String username = person();
    Person browser = new Person("198.51.100.21");

    String landed = browser.signIn("sub-" + username, claims(username, "staff", "keyturn-sales"));

    assertThat(landed).endsWith("/console");
    HttpResponse<String> dashboard = browser.console("/console");
    assertThat(dashboard.statusCode()).isEqualTo(200);
    assertThat(dashboard.body()).contains(username).contains("SALES");
    JsonNode made = user(username);
    assertThat(made).isNotNull();
    assertThat(made.get("role").asString()).isEqualTo("SALES");
    assertThat(made.get("signs_in_with").asString()).isEqualTo("oidc");
    assertThat(events("user.created")).contains(username).contains("198.51.100.21");
    assertThat(events("auth.signed_in"))
        .contains(
            "\"username\":\"" + username + "\",\"address\":\"198.51.100.21\",\"method\":\"oidc\"");
  }

  @Test
  void the_role_follows_the_groups_at_every_sign_in_and_the_change_is_audited() {
    String username = person();
    String subject = "sub-" + username;
    assertThat(new Person("198.51.100.22").signIn(subject, claims(username, "keyturn-admins")))
        .endsWith("/console");
    assertThat(user(username).get("role").asString()).isEqualTo("ADMIN");

    Person later = new Person("198.51.100.23");
    assertThat(later.signIn(subject, claims(username, "keyturn-support"))).endsWith("/console");

    assertThat(user(username).get("role").asString()).isEqualTo("SUPPORT");
    assertThat(later.console("/console/admin").statusCode()).isEqualTo(403);
    assertThat(events("user.role_changed"))
        .contains(username)
        .contains("\"from\":\"ADMIN\",\"to\":\"SUPPORT\"");
  }

  @Test
  void signing_out_ends_the_session_at_the_provider_too_and_comes_back_to_the_sign_in_page() {
    String username = person();
    Person browser = new Person("198.51.100.27");
    assertThat(browser.signIn("sub-" + username, claims(username, "staff"))).endsWith("/console");

    HttpResponse<String> signedOut = browser.signOut();

    assertThat(location(signedOut))
        .startsWith(OidcProvider.endSession() + "?id_token_hint=ey")
        .contains(
            "post_logout_redirect_uri="
                + URLEncoder.encode(
                    "http://localhost:" + port + "/console/login?logout", StandardCharsets.UTF_8))
        .contains("client_id=" + OidcProvider.CLIENT_ID);
    HttpResponse<String> back = browser.follow(signedOut);
    assertThat(location(back)).isEqualTo("http://localhost:" + port + "/console/login?logout");
    assertThat(browser.console("/console").statusCode()).isEqualTo(302);

    // A password session signs out here only: the provider never saw it.
    ConsoleSession local = ConsoleSession.signIn(port, "admin", ADMIN_PASSWORD);
    HttpResponse<String> localOut =
        local.post("/console/logout", Map.of("_csrf", local.csrfOf("/console")));
    assertThat(location(localOut)).endsWith("/console/login?logout");
  }

  @Test
  void someone_whose_groups_give_no_role_is_refused_with_a_page_that_says_why() {
    String username = person();
    Person browser = new Person("198.51.100.24");

    String landed = browser.signIn("sub-" + username, claims(username, "marketing"));

    assertThat(landed).endsWith("/console/login/refused");
    String page = browser.console("/console/login/refused").body();
    assertThat(page)
        .contains("has no Keyturn role")
        .contains("[marketing]")
        .contains("keyturn-admins, keyturn-sales, keyturn-support, staff");
    assertThat(user(username)).isNull();
    assertThat(browser.console("/console").statusCode()).isEqualTo(302);
    assertThat(events("auth.sign_in_failed"))
        .contains(
            "\"username\":\""
                + username
                + "\",\"address\":\"198.51.100.24\",\"method\":\"oidc\",\"reason\":\"no_role\"");
  }

  @Test
  void a_provider_user_named_like_a_local_account_does_not_get_into_it() {
    Person browser = new Person("198.51.100.25");

    String landed = browser.signIn("someone-else", claims("admin", "keyturn-admins"));

    assertThat(landed).endsWith("/console/login/refused");
    assertThat(browser.console("/console/login/refused").body())
        .contains("A Keyturn account named admin exists already and is not linked");
    assertThat(user("admin").get("signs_in_with").asString()).isEqualTo("password");
  }

  @Test
  void a_disabled_provider_user_stays_out_even_with_the_right_groups() {
    String username = person();
    String subject = "sub-" + username;
    assertThat(new Person("198.51.100.26").signIn(subject, claims(username, "staff")))
        .endsWith("/console");
    assertThat(admin().post("/api/v1/users/" + username + "/disable", Map.of()).status())
        .isEqualTo(200);

    Person again = new Person("198.51.100.26");
    assertThat(again.signIn(subject, claims(username, "keyturn-admins")))
        .endsWith("/console/login/refused");
    assertThat(again.console("/console/login/refused").body()).contains("is disabled");
  }

  @Test
  void passwords_are_kept_for_the_break_glass_account_only() {
    String local = "local-" + person();
    assertThat(
            admin()
                .post(
                    "/api/v1/users",
                    Map.of("username", local, "password", USER_PASSWORD, "role", "SALES"))
                .status())
        .isEqualTo(201);

    // The API: the right password is refused, with what to do instead.
    Api.Response basic =
        new Api(port, Api.basic(local, USER_PASSWORD)).get("/api/v1/subscriptions");
    assertThat(basic.status()).isEqualTo(401);
    assertThat(basic.body()).contains("Sign in with Mock IdP");
    // The console says the same on its sign-in page.
    ConsoleSession console = ConsoleSession.anonymous(port);
    String csrf = console.csrfOf("/console/login");
    HttpResponse<String> form =
        console.post(
            "/console/login", Map.of("username", local, "password", USER_PASSWORD, "_csrf", csrf));
    assertThat(location(form)).endsWith("/console/login?error");
    assertThat(console.get("/console/login?error").body())
        .contains("Sign in with Mock IdP: password sign-in is kept for break-glass accounts");
    assertThat(events("auth.sign_in_failed"))
        .contains("\"username\":\"" + local + "\"")
        .contains("local_sign_in_off");

    // The break-glass admin still signs in with a password, and the page offers both.
    assertThat(admin().get("/api/v1/subscriptions").status()).isEqualTo(200);
    ConsoleSession.signIn(port, "admin", ADMIN_PASSWORD);
    assertThat(ConsoleSession.anonymous(port).get("/console/login").body())
        .contains("Sign in with Mock IdP")
        .contains("id=\"password\"");
  }
}
