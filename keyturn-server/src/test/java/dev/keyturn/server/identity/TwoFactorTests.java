package dev.keyturn.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.Authenticator;
import dev.keyturn.server.support.ConsoleSession;
import dev.keyturn.server.support.ServerTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * TOTP for local accounts through the console, as a person's browser does it (over HTTP): the
 * enrolment, the second step of the sign-in, recovery codes, the admin's reset and policy, and what
 * the audit log says of each, with the address.
 */
abstract class TwoFactorTests extends ServerTest {
  @Autowired JdbcClient jdbc;
  private static final Pattern SECRET = Pattern.compile("id=\"secret\">([A-Z2-7 ]+)<");
  private static final Pattern CODE = Pattern.compile("<li><code>([A-Z0-9-]+)</code></li>");
  private static final AtomicInteger N = new AtomicInteger();

  /** A person: their account, their browser, their address behind the trusted proxy. */
  private final class Person {
    final String username = "totp-" + System.nanoTime() % 1_000_000 + "-" + N.incrementAndGet();
    final String address = "203.0.113." + (N.get() % 250 + 1);
    ConsoleSession browser = ConsoleSession.anonymous(port);
    Authenticator app;

    Person() {
      Api.Response made =
          admin()
              .post(
                  "/api/v1/users",
                  Map.of("username", username, "password", USER_PASSWORD, "role", "SUPPORT"));
      assertThat(made.status()).as(made.toString()).isEqualTo(201);
    }

    /** A fresh browser types the password; returns where the server sends it. */
    String password() {
      browser = ConsoleSession.anonymous(port);
      String csrf = browser.csrfOf("/console/login");
      HttpResponse<String> r =
          browser.post(
              "/console/login",
              Map.of("username", username, "password", USER_PASSWORD, "_csrf", csrf),
              Map.of("X-Forwarded-For", address));
      assertThat(r.statusCode()).isEqualTo(302);
      return location(r);
    }

    HttpResponse<String> typeCode(String page, String code) {
      String csrf = browser.csrfOf(page);
      return browser.post(
          page, Map.of("code", code, "_csrf", csrf), Map.of("X-Forwarded-For", address));
    }

    /** Reads the secret off the enrolment page, as the app reads the QR code. */
    void scan(String page) {
      String html = browser.get(page).body();
      assertThat(html).contains("src=\"data:image/png;base64,");
      Matcher m = SECRET.matcher(html);
      assertThat(m.find()).as(html).isTrue();
      app = Authenticator.fromKey(m.group(1));
      assertThat(app.secretBytes()).isEqualTo(20);
    }

    String codeNow(int stepsFromNow) {
      return app.code(clock, stepsFromNow);
    }

    boolean signedIn() {
      return browser.get("/console").statusCode() == 200;
    }
  }

  private static String location(HttpResponse<?> r) {
    return r.headers().firstValue("Location").orElse("");
  }

  private static List<String> recoveryCodes(String html) {
    List<String> codes = new ArrayList<>();
    Matcher m = CODE.matcher(html);
    while (m.find()) {
      codes.add(m.group(1));
    }
    return codes;
  }

  private void tick() {
    ((TestClock) clock).advance(Duration.ofSeconds(30));
  }

  private String events(String type) {
    return admin().get("/api/v1/events?type=" + type + "&limit=200").body();
  }

  /** Signs in with the password alone and enrols from the account page; returns the codes. */
  private List<String> enrolled(Person p) {
    assertThat(p.password()).endsWith("/console");
    p.scan("/console/account/totp");
    HttpResponse<String> done = p.typeCode("/console/account/totp", p.codeNow(0));
    assertThat(done.statusCode()).isEqualTo(200);
    return recoveryCodes(done.body());
  }

  /** Someone with TOTP who has just typed their password, a step after the enrolment's code. */
  private Person atTheSecondStep() {
    Person p = new Person();
    enrolled(p);
    tick();
    assertThat(p.password()).endsWith("/console/login/second-factor");
    return p;
  }

  @Test
  void enrolment_takes_a_typed_code_and_hands_out_ten_recovery_codes_once() {
    Person p = new Person();
    assertThat(p.password()).endsWith("/console");
    p.scan("/console/account/totp");

    HttpResponse<String> wrong = p.typeCode("/console/account/totp", "000000");
    assertThat(wrong.body()).contains("That is not the code your app shows now");
    assertThat(wrong.body()).doesNotContain("recovery-codes");
    HttpResponse<String> right = p.typeCode("/console/account/totp", p.codeNow(0));

    List<String> codes = recoveryCodes(right.body());
    assertThat(codes).hasSize(10).doesNotHaveDuplicates();
    assertThat(codes).allMatch(c -> c.matches("[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}"));
    assertThat(p.browser.get("/console/account").body())
        .contains("Second factor: <strong>on</strong>")
        .contains("10 of 10 recovery codes left");
    assertThat(events("auth.totp_enrolled"))
        .contains("\"username\":\"" + p.username + "\",\"address\":\"" + p.address + "\"");
  }

  @Test
  void the_password_alone_no_longer_signs_in_and_a_code_is_taken_once_only() {
    Person p = new Person();
    enrolled(p);

    assertThat(p.password()).endsWith("/console/login/second-factor");
    assertThat(p.signedIn()).as("the password alone signs nobody in").isFalse();
    // The code that confirmed the enrolment is spent.
    HttpResponse<String> reused = p.typeCode("/console/login/second-factor", p.codeNow(0));
    assertThat(reused.body()).contains("That code was used already");
    tick();
    HttpResponse<String> fresh = p.typeCode("/console/login/second-factor", p.codeNow(0));
    assertThat(location(fresh)).endsWith("/console");
    assertThat(p.signedIn()).isTrue();

    // The same code a moment later, in another browser: refused.
    assertThat(p.password()).endsWith("/console/login/second-factor");
    assertThat(p.typeCode("/console/login/second-factor", p.codeNow(0)).body())
        .contains("That code was used already");
    assertThat(p.signedIn()).isFalse();
    assertThat(events("auth.signed_in"))
        .contains(
            "\"username\":\""
                + p.username
                + "\",\"address\":\""
                + p.address
                + "\",\"method\":\"password+totp\"");
    assertThat(events("auth.sign_in_failed"))
        .contains(
            "\"username\":\""
                + p.username
                + "\",\"address\":\""
                + p.address
                + "\",\"method\":\"second_factor\",\"reason\":\"reused_code\"");
  }

  @Test
  void a_code_one_step_old_still_counts_and_two_steps_old_does_not() {
    Person p = new Person();
    enrolled(p);
    for (int i = 0; i < 4; i++) {
      tick();
    }

    assertThat(p.password()).endsWith("/console/login/second-factor");
    assertThat(location(p.typeCode("/console/login/second-factor", p.codeNow(-1))))
        .endsWith("/console");

    assertThat(p.password()).endsWith("/console/login/second-factor");
    assertThat(p.typeCode("/console/login/second-factor", p.codeNow(-2)).body())
        .contains("That code is not right");
    assertThat(location(p.typeCode("/console/login/second-factor", p.codeNow(1))))
        .as("the phone a step ahead")
        .endsWith("/console");
  }

  @Test
  void a_recovery_code_signs_in_once() {
    Person p = new Person();
    String code = enrolled(p).get(3);

    assertThat(p.password()).endsWith("/console/login/second-factor");
    assertThat(location(p.typeCode("/console/login/second-factor", code.toLowerCase())))
        .endsWith("/console");
    assertThat(p.signedIn()).isTrue();
    assertThat(p.browser.get("/console/account").body()).contains("9 of 10 recovery codes left");

    assertThat(p.password()).endsWith("/console/login/second-factor");
    assertThat(p.typeCode("/console/login/second-factor", code).body())
        .contains("That code is not right");
    assertThat(events("auth.recovery_code_used"))
        .contains(
            "\"username\":\""
                + p.username
                + "\",\"address\":\""
                + p.address
                + "\",\"recovery_codes_left\":9");
  }

  @Test
  void http_basic_with_the_password_alone_is_refused_once_the_account_has_a_second_factor() {
    Person p = new Person();
    Api basic = new Api(port, Api.basic(p.username, USER_PASSWORD));
    assertThat(basic.get("/api/v1/subscriptions").status()).isEqualTo(200);
    enrolled(p);

    Api.Response refused = basic.get("/api/v1/subscriptions");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.body()).contains("use an API token");
  }

  @Test
  void another_admin_resets_the_second_factor_and_an_admin_cannot_reset_their_own() {
    Person p = new Person();
    List<String> codes = enrolled(p);

    Api.Response reset = admin().post("/api/v1/users/" + p.username + "/totp/reset", Map.of());

    assertThat(reset.status()).as(reset.toString()).isEqualTo(200);
    assertThat(p.password()).endsWith("/console");
    assertThat(p.browser.get("/console/account").body())
        .contains("Second factor: <strong>off</strong>");
    assertThat(events("auth.totp_reset")).contains("\"username\":\"" + p.username + "\"");
    assertThat(admin().post("/api/v1/users/" + p.username + "/totp/reset", Map.of()).status())
        .as("nothing left to reset")
        .isEqualTo(409);
    Api.Response own = admin().post("/api/v1/users/admin/totp/reset", Map.of());
    assertThat(own.status()).isEqualTo(409);
    assertThat(own.body()).contains("ask another admin");
    assertThat(
            as(Role.SALES).post("/api/v1/users/" + p.username + "/totp/reset", Map.of()).status())
        .isEqualTo(403);
    assertThat(codes).hasSize(10);
  }

  @Test
  void the_admins_policy_sends_accounts_without_a_second_factor_to_enrolment_after_the_password() {
    Person p = new Person();
    Api adminToken = as(Role.ADMIN);
    try {
      Api.Response on =
          adminToken.send("PUT", "/api/v1/sign-in-policy", Map.of("totp_required", true));
      assertThat(on.status()).as(on.toString()).isEqualTo(200);
      assertThat(on.json().get("totp_required").asBoolean()).isTrue();

      assertThat(p.password()).endsWith("/console/login/enrol");
      assertThat(p.signedIn()).isFalse();
      p.scan("/console/login/enrol");
      HttpResponse<String> done = p.typeCode("/console/login/enrol", p.codeNow(0));
      assertThat(recoveryCodes(done.body())).hasSize(10);
      assertThat(p.signedIn()).as("the enrolment completes the sign-in").isTrue();
      assertThat(adminToken.get("/api/v1/events?type=auth.signed_in&limit=200").body())
          .contains("password+totp_enrolment");
      // HTTP Basic cannot carry the second factor the policy asks for.
      assertThat(admin().get("/api/v1/subscriptions").status()).isEqualTo(401);
    } finally {
      adminToken.send("PUT", "/api/v1/sign-in-policy", Map.of("totp_required", false));
    }
    assertThat(admin().get("/api/v1/subscriptions").status()).isEqualTo(200);
    assertThat(events("auth.sign_in_policy_changed")).contains("\"totp_required\":true");
  }

  @Test
  void guessing_codes_meets_the_sign_in_throttle_and_then_even_the_right_code_waits() {
    Person p = atTheSecondStep();
    for (int i = 0; i < 5; i++) {
      assertThat(p.typeCode("/console/login/second-factor", "00000" + i).body())
          .contains("That code is not right");
    }

    HttpResponse<String> right = p.typeCode("/console/login/second-factor", p.codeNow(0));

    assertThat(right.body()).contains("Too many failed sign-ins");
    assertThat(p.signedIn()).isFalse();
    assertThat(events("auth.sign_in_failed"))
        .contains(
            "\"username\":\""
                + p.username
                + "\",\"address\":\""
                + p.address
                + "\",\"method\":\"second_factor\",\"reason\":\"throttled\"");
    ((TestClock) clock).advance(Duration.ofMinutes(16));
  }

  @Test
  void typing_the_password_again_does_not_buy_more_code_guesses() {
    Person p = atTheSecondStep();
    for (int i = 0; i < 3; i++) {
      p.typeCode("/console/login/second-factor", "11111" + i);
    }
    assertThat(p.password()).endsWith("/console/login/second-factor");
    for (int i = 0; i < 2; i++) {
      p.typeCode("/console/login/second-factor", "22222" + i);
    }

    assertThat(p.typeCode("/console/login/second-factor", p.codeNow(0)).body())
        .contains("Too many failed sign-ins");
    ((TestClock) clock).advance(Duration.ofMinutes(16));
    assertThat(p.password()).endsWith("/console/login/second-factor");
    assertThat(location(p.typeCode("/console/login/second-factor", p.codeNow(0))))
        .endsWith("/console");
  }

  @Test
  void an_admin_resets_a_second_factor_and_sets_the_policy_from_the_admin_page() {
    Person p = new Person();
    enrolled(p);
    ConsoleSession admin = ConsoleSession.signIn(port, "admin", ADMIN_PASSWORD);
    String page = admin.get("/console/admin").body();
    assertThat(page).contains("password + TOTP").contains("Reset TOTP");
    String csrf = admin.csrfOf("/console/admin");

    HttpResponse<String> reset =
        admin.post(
            "/console/admin/users/" + p.username + "/reset-totp",
            Map.of("_csrf", csrf),
            Map.of("X-Forwarded-For", "192.0.2.44"));

    assertThat(location(reset)).endsWith("/console/admin");
    assertThat(admin.get("/console/admin").body())
        .contains("Second factor of " + p.username + " reset");
    assertThat(events("auth.totp_reset"))
        .contains("\"username\":\"" + p.username + "\",\"address\":\"192.0.2.44\"");
    assertThat(p.password()).endsWith("/console");
    // The admin's own row has no reset button: nobody resets their own.
    assertThat(
            admin.post("/console/admin/users/admin/reset-totp", Map.of("_csrf", csrf)).statusCode())
        .isEqualTo(302);
    assertThat(admin.get("/console/admin").body())
        .contains("you cannot reset your own second factor; ask another admin");
  }

  @Test
  void a_half_finished_sign_in_lapses_after_ten_minutes() {
    Person p = atTheSecondStep();
    String csrf = p.browser.csrfOf("/console/login/second-factor");
    ((TestClock) clock).advance(StaffSignIn.PENDING_FOR.plusSeconds(1));

    HttpResponse<String> late =
        p.browser.post(
            "/console/login/second-factor",
            Map.of("code", p.codeNow(0), "_csrf", csrf),
            Map.of("X-Forwarded-For", p.address));

    assertThat(location(late)).endsWith("/console/login?expired");
    assertThat(p.signedIn()).isFalse();
    assertThat(ConsoleSession.anonymous(port).get("/console/login?expired").body())
        .contains("That sign-in took too long");
  }

  @Test
  void the_secret_is_stored_sealed_never_as_the_app_reads_it() {
    Person p = new Person();
    assertThat(p.password()).endsWith("/console");
    String html = p.browser.get("/console/account/totp").body();
    Matcher m = SECRET.matcher(html);
    assertThat(m.find()).isTrue();
    String key = m.group(1).replace(" ", "");
    p.app = Authenticator.fromKey(key);
    List<String> codes = recoveryCodes(p.typeCode("/console/account/totp", p.codeNow(0)).body());

    String sealed =
        jdbc.sql("select secret_sealed from totp_enrolments where username = ?")
            .param(p.username)
            .query(String.class)
            .single();
    assertThat(sealed).doesNotContain(key);
    assertThat(java.util.Base64.getDecoder().decode(sealed)).hasSizeGreaterThan(20 + 12);
    List<String> stored =
        jdbc.sql("select code_hash from totp_recovery_codes where username = ?")
            .param(p.username)
            .query(String.class)
            .list();
    assertThat(stored).hasSize(10).allMatch(h -> h.matches("[0-9a-f]{64}"));
    for (String code : codes) {
      assertThat(stored).noneMatch(h -> h.contains(code.replace("-", "").toLowerCase()));
    }
  }

  @Test
  void the_second_factor_page_is_no_way_in_without_the_password() {
    ConsoleSession stranger = ConsoleSession.anonymous(port);
    HttpResponse<String> page = stranger.get("/console/login/second-factor");
    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(location(page)).endsWith("/console/login?expired");
    assertThat(stranger.get("/console/login/enrol").statusCode()).isEqualTo(302);
  }
}
