package dev.keyturn.server.portal;

import dev.keyturn.server.security.PageSecurity;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.savedrequest.NullRequestCache;

/**
 * The customer portal's own filter chain, apart from the staff console's and the API's: contacts
 * sign in by a one-time link ({@link SignInController}), never with a password. Its session state
 * lives under its own attribute names ({@link PortalSession}), so a staff session means nothing
 * here and a contact's session nothing on {@code /console/**} or on the stateless API.
 */
@Configuration(proxyBeanMethods = false)
class PortalSecurity {
  static final String HOME = "/portal";
  static final String ROLE = "PORTAL_CONTACT";

  @Bean
  @Order(2)
  SecurityFilterChain portal(HttpSecurity http, PortalSession session) throws Exception {
    http.securityMatcher(HOME, HOME + "/**")
        .securityContext(c -> c.securityContextRepository(session.contexts()))
        .csrf(c -> c.csrfTokenRepository(session.csrfTokens()))
        // A stranger's page request must not become the console's "continue where you were".
        .requestCache(c -> c.requestCache(new NullRequestCache()))
        .exceptionHandling(
            e -> e.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint(HOME)))
        .logout(
            l ->
                l.logoutUrl(HOME + "/sign-out")
                    .logoutSuccessUrl(HOME + "?signed-out")
                    // Only the portal's half of a shared session ends; a staff sign-in stays.
                    .invalidateHttpSession(false)
                    .addLogoutHandler((request, response, auth) -> session.end(request, response)))
        .headers(
            h ->
                // The sign-in page's address holds a token: it never leaves as a Referer.
                h.referrerPolicy(r -> r.policy(ReferrerPolicy.SAME_ORIGIN))
                    .contentSecurityPolicy(
                        c -> c.policyDirectives(PageSecurity.CONTENT_SECURITY_POLICY)))
        .authorizeHttpRequests(
            a ->
                a.requestMatchers(HOME, HOME + "/sign-in", HOME + "/sign-in-link")
                    .permitAll()
                    .anyRequest()
                    .hasRole(ROLE));
    return http.build();
  }
}
