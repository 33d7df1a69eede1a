package dev.keyturn.server.identity.internal;

import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The address of the request being served, for code that is handed no request (a user service). It
 * is the real client's: the web module's filter has already read it through trusted proxies.
 */
final class ClientAddress {
  private ClientAddress() {}

  static String current() {
    return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes web
        ? web.getRequest().getRemoteAddr()
        : "unknown";
  }
}
