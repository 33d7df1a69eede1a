package dev.keyturn.server.checkin.internal;

import dev.keyturn.server.web.ProblemWriter;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
class CheckInFilters {

  /** Right after the size limit, before security and the controller read anything. */
  @Bean
  FilterRegistrationBean<LicenseTokenGate> licenseTokenGate(
      CheckIns checkIns, Clock clock, ProblemWriter problems) {
    FilterRegistrationBean<LicenseTokenGate> registration =
        new FilterRegistrationBean<>(new LicenseTokenGate(checkIns, clock, problems));
    registration.addUrlPatterns("/api/v1/check-in");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
    return registration;
  }
}
