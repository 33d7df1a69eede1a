package dev.keyturn.client.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;

/** A servlet request seen as a {@link WebRequest}. */
final class ServletWebRequest implements WebRequest {
  private final HttpServletRequest request;

  ServletWebRequest(HttpServletRequest request) {
    this.request = request;
  }

  @Override
  public String method() {
    return request.getMethod().toUpperCase(Locale.ROOT);
  }

  /** Servlet path + path info: decoded and normalized, exactly what the container maps. */
  @Override
  public String path() {
    String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
    String pathInfo = request.getPathInfo() == null ? "" : request.getPathInfo();
    String path = servletPath + pathInfo;
    return path.isEmpty() ? "/" : path;
  }

  @Override
  public String contextPath() {
    return request.getContextPath() == null ? "" : request.getContextPath();
  }

  @Override
  public Optional<String> header(String name) {
    return Optional.ofNullable(request.getHeader(name));
  }

  /** From the query string only: never triggers the container's body parsing. */
  @Override
  public Optional<String> queryParameter(String name) {
    String query = request.getQueryString();
    if (query == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(LicenseSubmission.urlEncoded(query).get(name));
  }

  @Override
  public byte[] body(int maxBytes) throws IOException {
    long declared = request.getContentLengthLong();
    if (declared > maxBytes) {
      throw new PayloadTooLargeException(maxBytes);
    }
    try (InputStream in = request.getInputStream()) {
      byte[] bytes = in.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw new PayloadTooLargeException(maxBytes);
      }
      return bytes;
    }
  }
}
