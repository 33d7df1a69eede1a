package dev.keyturn.server.web.health;

import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Health as load balancers and people need it (docs/operations.md, "Health checks"): liveness is
 * the process, readiness is the database answering within 2 s, SMTP is reported but never decides
 * either. The groups are set in application.properties; Spring's own db and mail indicators are off
 * in favour of these two, which never wait longer than their deadline.
 */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration {

  @Bean
  DatabaseHealthIndicator databaseHealthIndicator(DataSource dataSource) {
    return new DatabaseHealthIndicator(dataSource);
  }

  @Bean
  SmtpHealthIndicator smtpHealthIndicator(ObjectProvider<JavaMailSender> smtp, Clock clock) {
    return new SmtpHealthIndicator(smtp, clock);
  }
}
