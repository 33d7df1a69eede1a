package dev.keyturn.server.web;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The filters in front of everything: the size limit first (before security, sessions and any body
 * parsing), then the client's real address.
 */
@Configuration(proxyBeanMethods = false)
class LimitsConfiguration {

  @Bean
  FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(ProblemWriter problems) {
    FilterRegistrationBean<RequestSizeLimitFilter> registration =
        new FilterRegistrationBean<>(new RequestSizeLimitFilter(problems));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  /** Before anything that keys on the client's address (rate limits, login throttling). */
  @Bean
  FilterRegistrationBean<ClientAddressFilter> clientAddressFilter(
      @Value("${keyturn.trusted-proxies:}") String trustedProxies) {
    FilterRegistrationBean<ClientAddressFilter> registration =
        new FilterRegistrationBean<>(new ClientAddressFilter(new TrustedProxies(trustedProxies)));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    return registration;
  }
}
