package dev.keyturn.server.security.internal;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.config.OidcProperties;
import dev.keyturn.server.security.ApiTokenStore;
import dev.keyturn.server.security.BearerTokenAuthenticator;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.security.SecondFactorPolicy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Who may call what: the server-side half of docs/design.md §6's roles, in one table. Finer rules
 * (an engineer's 7-day cap, which fields a role may patch) live next to the data they guard.
 *
 * <p>The API is stateless (HTTP Basic for people, Bearer API tokens for scripts and the CLI), so
 * there is no session cookie to forge and CSRF protection is off here; the console brings its own
 * form-login chain with CSRF.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {
  private static final String ADMIN = Role.ADMIN.name();
  private static final String SALES = Role.SALES.name();
  private static final String ENGINEER = Role.ENGINEER.name();
  private static final String SUPPORT = Role.SUPPORT.name();

  @Bean
  SecurityFilterChain api(
      HttpSecurity http,
      ApiTokenStore tokens,
      ProblemResponses problems,
      ObjectProvider<BearerTokenAuthenticator> bearerTokens)
      throws Exception {
    http.csrf(c -> c.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .httpBasic(
            b ->
                b.authenticationEntryPoint(problems)
                    .realmName("keyturn")
                    .authenticationDetailsSource(ApiPasswordDetails::new))
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .addFilterBefore(
            new TokenAuthenticationFilter(tokens, problems, bearerTokens.orderedStream().toList()),
            BasicAuthenticationFilter.class)
        .authorizeHttpRequests(
            a ->
                a.requestMatchers("/error")
                    .permitAll()
                    .requestMatchers(
                        HttpMethod.GET,
                        "/",
                        "/index.html",
                        "/assets/**",
                        "/swagger-ui.html",
                        "/swagger-ui/**",
                        "/v3/api-docs",
                        "/v3/api-docs/**",
                        "/actuator/health",
                        "/actuator/health/**")
                    .permitAll()
                    // Public keys are public: clients fetch them to verify licenses.
                    .requestMatchers(
                        HttpMethod.GET, "/api/v1/signing-keys", "/api/v1/signing-keys/*/public.pem")
                    .permitAll()
                    // Authenticated by the license token (BearerTokenAuthenticator), not by staff.
                    .requestMatchers(HttpMethod.POST, "/api/v1/check-in")
                    .permitAll()
                    .requestMatchers(HttpMethod.GET, "/api/v1/capabilities")
                    .permitAll()
                    // Stripe signs its events; the Renew button sends a license token.
                    .requestMatchers(
                        HttpMethod.POST, "/webhooks/stripe", "/api/v1/renewal-requests")
                    .permitAll()
                    .requestMatchers(HttpMethod.GET, "/billing/portal/*")
                    .permitAll()
                    .requestMatchers(HttpMethod.POST, "/api/v1/renewal-requests/*/close")
                    .hasAnyRole(ADMIN, SALES, SUPPORT)
                    .requestMatchers(HttpMethod.POST, "/api/v1/subscriptions/*/billing-portal")
                    .hasAnyRole(ADMIN, SALES, SUPPORT)
                    // The benchmark's do-nothing ceiling and its one-read floor (absent unless
                    // keyturn.bench.enabled).
                    .requestMatchers(
                        HttpMethod.POST, "/api/v1/bench/noop", "/api/v1/bench/noop-read")
                    .permitAll()
                    .requestMatchers(
                        HttpMethod.POST, "/api/v1/signing-keys/rotate", "/api/v1/signing-keys/next")
                    .hasRole(ADMIN)
                    .requestMatchers("/api/v1/users", "/api/v1/users/**", "/api/v1/sign-in-policy")
                    .hasRole(ADMIN)
                    .requestMatchers("/api/v1/test-clock")
                    .hasRole(ADMIN)
                    .requestMatchers(HttpMethod.POST, "/api/v1/subscriptions")
                    .hasAnyRole(ADMIN, SALES)
                    .requestMatchers(HttpMethod.PATCH, "/api/v1/subscriptions/*")
                    .hasAnyRole(ADMIN, SALES, SUPPORT)
                    .requestMatchers(HttpMethod.POST, "/api/v1/subscriptions/*/archive")
                    .hasAnyRole(ADMIN, SALES)
                    .requestMatchers(HttpMethod.POST, "/api/v1/subscriptions/*/release-instance")
                    .hasAnyRole(ADMIN, SALES, SUPPORT)
                    .requestMatchers(HttpMethod.POST, "/api/v1/usage-reports")
                    .hasAnyRole(ADMIN, SALES, SUPPORT)
                    .requestMatchers(HttpMethod.PUT, "/api/v1/subscriptions/*/overage-percent")
                    .hasAnyRole(ADMIN, SALES)
                    .requestMatchers(HttpMethod.POST, "/api/v1/subscriptions/*/licenses")
                    .hasAnyRole(ADMIN, SALES, ENGINEER)
                    .requestMatchers(HttpMethod.POST, "/api/v1/licenses/*/revoke")
                    .hasAnyRole(ADMIN, SALES)
                    .requestMatchers(HttpMethod.POST, "/api/v1/subscriptions/*/payments")
                    .hasAnyRole(ADMIN, SALES)
                    .requestMatchers(
                        HttpMethod.PUT, "/api/v1/subscriptions/*/contacts/*/preferences")
                    .hasAnyRole(ADMIN, SALES, SUPPORT)
                    .requestMatchers("/api/v1/webhook-endpoints", "/api/v1/webhook-endpoints/**")
                    .hasRole(ADMIN)
                    .requestMatchers(HttpMethod.POST, "/api/v1/deliveries/*/retry")
                    .hasRole(ADMIN)
                    .requestMatchers(HttpMethod.POST, "/api/v1/automation/run")
                    .hasRole(ADMIN)
                    .requestMatchers(HttpMethod.PUT, "/api/v1/policies/*")
                    .hasRole(ADMIN)
                    .requestMatchers(HttpMethod.DELETE, "/api/v1/policies/*")
                    .hasRole(ADMIN)
                    .requestMatchers(HttpMethod.POST, "/api/v1/policies/*/reissue")
                    .hasAnyRole(ADMIN, SALES)
                    // Every role manages its own tokens; ApiTokenController narrows further.
                    .requestMatchers("/api/v1/api-tokens", "/api/v1/api-tokens/**")
                    .authenticated()
                    .requestMatchers(HttpMethod.GET, "/api/v1/**", "/actuator/**")
                    .authenticated()
                    .anyRequest()
                    .denyAll());
    return http.build();
  }

  /**
   * Passwords are checked by the user store, behind growing delays for repeated failures and the
   * break-glass policy when single sign-on is on.
   */
  @Bean
  AuthenticationProvider passwordSignIn(
      UserStore users,
      PasswordEncoder encoder,
      LoginThrottle throttle,
      OidcProperties oidc,
      ObjectProvider<SecondFactorPolicy> secondFactors,
      EventLog events) {
    DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(users);
    passwords.setPasswordEncoder(encoder);
    return new ThrottledAuthenticationProvider(passwords, throttle, oidc, secondFactors, events);
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    // bcrypt today, with the {id} prefix so a future algorithm can be introduced without a reset.
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }
}
