package dev.keyturn.server.system;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The size limit runs first of all filters: before security, sessions and any body parsing. */
@Configuration(proxyBeanMethods = false)
class LimitsConfiguration {

  @Bean
  FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(ProblemWriter problems) {
    FilterRegistrationBean<RequestSizeLimitFilter> registration =
        new FilterRegistrationBean<>(new RequestSizeLimitFilter(problems));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }
}
