package dev.keyturn.server.console;

import dev.keyturn.server.identity.StaffSignIn;
import dev.keyturn.server.security.PageSecurity;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.security.StaffSessions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter;
import org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter.XFrameOptionsMode;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The staff console's own filter chain: form login with a session, CSRF tokens on every form, and
 * who may open which page. It comes before the stateless API chain and covers only {@code
 * /console/**}, so an API caller never gets a session and a console session never works on the API.
 *
 * <p>The rules below are the first of two locks: a control a role may not use is also left out of
 * the page, and the services refuse it anyway (e.g. an engineer's 7-day cap in the issuer).
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurity {
  static final String LOGIN = "/console/login";
  private static final String ADMIN = Role.ADMIN.name();
  private static final String SALES = Role.SALES.name();
  private static final String ENGINEER = Role.ENGINEER.name();
  private static final String SUPPORT = Role.SUPPORT.name();

  /** The HTML parts of mails and template previews, shown in sandboxed frames. */
  private static final RequestMatcher MAIL_FRAMES =
      new OrRequestMatcher(
          PathPatternRequestMatcher.withDefaults().matcher("/console/mail/*/html"),
          PathPatternRequestMatcher.withDefaults().matcher("/console/mail/templates/*/html"));

  /**
   * After sign-in, back to the page asked for, at its own address: Spring Security's default marks
   * that return with {@code ?continue} (so it need not look in the session on every request), which
   * then stays in the address bar. A console's few requests per minute afford the look.
   */
  private static RequestCache savedPages() {
    HttpSessionRequestCache cache = new HttpSessionRequestCache();
    cache.setMatchingRequestParameterName(null);
    return cache;
  }

  @Bean
  @Order(1)
  SecurityFilterChain console(HttpSecurity http, StaffSessions sessions, StaffSignIn signIn)
      throws Exception {
    // The OpenID Connect redirects live at the addresses providers are told to expect.
    http.securityMatcher(
            "/console", "/console/**", "/oauth2/authorization/**", "/login/oauth2/code/**")
        // Disabling a user or changing their role applies to sessions signed in before.
        .addFilterBefore(sessions.check(), AuthorizationFilter.class)
        .formLogin(
            f ->
                f.loginPage(LOGIN)
                    // Signed in, or on to the second factor when one is owed.
                    .successHandler(signIn.afterPassword())
                    .failureUrl(LOGIN + "?error")
                    .permitAll())
        .requestCache(c -> c.requestCache(savedPages()));
    signIn.configureSingleSignOn(http, LOGIN);
    signIn.configureSignOut(http, "/console/logout", LOGIN + "?logout");
    http.headers(
            h ->
                h
                    // Console pages are never framed; a mail's HTML part is, by its console page
                    // only (its own CSP says frame-ancestors 'self' too, see SandboxedHtml).
                    .frameOptions(f -> f.disable())
                    .addHeaderWriter(
                        new DelegatingRequestMatcherHeaderWriter(
                            MAIL_FRAMES,
                            new XFrameOptionsHeaderWriter(XFrameOptionsMode.SAMEORIGIN)))
                    .addHeaderWriter(
                        new DelegatingRequestMatcherHeaderWriter(
                            new NegatedRequestMatcher(MAIL_FRAMES),
                            new XFrameOptionsHeaderWriter(XFrameOptionsMode.DENY)))
                    .contentSecurityPolicy(
                        c -> c.policyDirectives(PageSecurity.CONTENT_SECURITY_POLICY)))
        .authorizeHttpRequests(
            a ->
                // The sign-in page and its later steps (second factor, enrolment, refusal), which
                // check the half-finished sign-in the session holds themselves.
                a.requestMatchers(LOGIN, LOGIN + "/**")
                    .permitAll()
                    // Administration: users, signing keys, the test clock, webhooks, dead letters.
                    .requestMatchers("/console/admin/**", "/console/webhooks/**")
                    .hasRole(ADMIN)
                    .requestMatchers(HttpMethod.POST, "/console/deliveries/*/retry")
                    .hasRole(ADMIN)
                    .requestMatchers("/console/cleanup/**")
                    .hasAnyRole(ADMIN, SALES)
                    .requestMatchers("/console/subscriptions/new")
                    .hasAnyRole(ADMIN, SALES)
                    .requestMatchers(HttpMethod.POST, "/console/subscriptions")
                    .hasAnyRole(ADMIN, SALES)
                    .requestMatchers(
                        HttpMethod.POST,
                        "/console/subscriptions/*/payments",
                        "/console/subscriptions/*/archive",
                        "/console/licenses/*/revoke",
                        "/console/subscriptions/*/overage")
                    .hasAnyRole(ADMIN, SALES)
                    .requestMatchers(HttpMethod.POST, "/console/subscriptions/*")
                    .hasAnyRole(ADMIN, SALES, SUPPORT)
                    .requestMatchers(
                        HttpMethod.POST,
                        "/console/subscriptions/*/installations/release",
                        "/console/subscriptions/*/usage-reports")
                    .hasAnyRole(ADMIN, SALES, SUPPORT)
                    .requestMatchers("/console/subscriptions/*/issue")
                    .hasAnyRole(ADMIN, SALES, ENGINEER)
                    .requestMatchers(HttpMethod.POST, "/console/policies/*/reissue")
                    .hasAnyRole(ADMIN, SALES)
                    .requestMatchers("/console/policies/new")
                    .hasRole(ADMIN)
                    .requestMatchers(HttpMethod.POST, "/console/policies")
                    .hasRole(ADMIN)
                    .requestMatchers(HttpMethod.POST, "/console/renewal-requests/*/close")
                    .hasAnyRole(ADMIN, SALES, SUPPORT)
                    // Everything else is reading, or the user's own API tokens.
                    .anyRequest()
                    .authenticated());
    return http.build();
  }
}
