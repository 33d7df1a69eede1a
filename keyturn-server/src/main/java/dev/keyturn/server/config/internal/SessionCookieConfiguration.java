package dev.keyturn.server.config.internal;

import dev.keyturn.server.config.KeyturnProperties;
import jakarta.servlet.ServletContext;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The session cookie of the console and the portal: {@code SameSite=Lax} always (set in
 * application.properties), {@code HttpOnly}, and {@code Secure} whenever people reach the server
 * over https ({@code KEYTURN_PUBLIC_URL}), so a session never travels in clear text even if a
 * plain-http address answers too. (Behind a TLS-terminating proxy the server itself sees http,
 * which is why the public URL decides, not the request.)
 */
@Configuration(proxyBeanMethods = false)
class SessionCookieConfiguration {

  @Bean
  ServletContextInitializer secureSessionCookie(KeyturnProperties properties) {
    return context -> configure(context, properties.publicUrl());
  }

  static void configure(ServletContext context, String publicUrl) {
    context.getSessionCookieConfig().setHttpOnly(true);
    context.getSessionCookieConfig().setSecure(publicUrl.startsWith("https://"));
  }
}
