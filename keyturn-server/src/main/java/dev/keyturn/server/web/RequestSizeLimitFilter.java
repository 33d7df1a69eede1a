package dev.keyturn.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a body over its {@link RequestSizeLimits limit} before anything parses it, and before
 * authentication reads the database: a declared {@code Content-Length} over the limit is answered
 * 413 at once (the body is never read; the connection is closed), and a body that grows past the
 * limit while read (chunked, or lying about its length) fails the read at the limit, which the
 * problem handler answers 413 too. So no request can make the server hold more than its limit.
 */
public final class RequestSizeLimitFilter extends OncePerRequestFilter {
  private final ProblemWriter problems;

  public RequestSizeLimitFilter(ProblemWriter problems) {
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    DataSize limit = RequestSizeLimits.forRequest(request);
    if (request.getContentLengthLong() > limit.toBytes()) {
      refuse(request, response, limit, problems);
      return;
    }
    chain.doFilter(new Limited(request, limit), response);
  }

  /** The 413 problem; the connection closes so the rest of the body is never read. */
  public static void refuse(
      HttpServletRequest request,
      HttpServletResponse response,
      DataSize limit,
      ProblemWriter problems)
      throws IOException {
    response.setHeader(HttpHeaders.CONNECTION, "close");
    problems.write(
        request,
        response,
        ErrorCode.REQUEST_TOO_LARGE,
        "the body of " + request.getRequestURI() + " may be at most " + describe(limit),
        Map.of("max_bytes", limit.toBytes()));
  }

  public static String describe(DataSize limit) {
    return limit.toBytes() % (1024 * 1024) == 0
        ? limit.toMegabytes() + " MiB"
        : limit.toKilobytes() + " KiB";
  }

  private static final class Limited extends HttpServletRequestWrapper {
    private final DataSize limit;
    private ServletInputStream stream;

    Limited(HttpServletRequest request, DataSize limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new Counting(super.getInputStream(), limit);
      }
      return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
  }

  private static final class Counting extends ServletInputStream {
    private final ServletInputStream in;
    private final DataSize limit;
    private long read;

    Counting(ServletInputStream in, DataSize limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws IOException {
      read += n;
      if (read > limit.toBytes()) {
        throw new RequestTooLargeException(limit);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
