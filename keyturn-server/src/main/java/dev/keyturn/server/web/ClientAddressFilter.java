package dev.keyturn.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes {@code request.getRemoteAddr()} the real client's address behind trusted proxies ({@link
 * TrustedProxies}), for everything after it: rate limits, login throttling, the audit log.
 */
public final class ClientAddressFilter extends OncePerRequestFilter {
  private final TrustedProxies proxies;

  public ClientAddressFilter(TrustedProxies proxies) {
    this.proxies = proxies;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String client =
        proxies.clientAddress(
            request.getRemoteAddr(), Collections.list(request.getHeaders("X-Forwarded-For")));
    if (client.equals(request.getRemoteAddr())) {
      chain.doFilter(request, response);
      return;
    }
    chain.doFilter(
        new HttpServletRequestWrapper(request) {
          @Override
          public String getRemoteAddr() {
            return client;
          }

          @Override
          public String getRemoteHost() {
            return client;
          }
        },
        response);
  }
}
