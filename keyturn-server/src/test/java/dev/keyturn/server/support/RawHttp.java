package dev.keyturn.server.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 over a plain socket, for what HTTP clients will not send: a body streamed from a
 * generator (never held in memory), chunked or with a declared length, while the answer is read at
 * the same time (a server may answer before the body is over, and close).
 */
public final class RawHttp {
  /** Fills the buffer with the next part of the body; returns how many bytes, or -1 at the end. */
  public interface BodySource {
    int next(byte[] buffer) throws IOException;
  }

  /** What came back, and how much of the body the server took before it answered or closed. */
  public record Result(int status, String response, long bytesSent) {}

  private RawHttp() {}

  /**
   * @param headers header lines without the final blank line, e.g. {@code "Content-Length: 5"}
   */
  public static Result send(int port, String requestLine, String headers, BodySource body)
      throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      InputStream in = socket.getInputStream();
      CompletableFuture<String> answer =
          CompletableFuture.supplyAsync(
              () -> {
                ByteArrayOutputStream read = new ByteArrayOutputStream();
                byte[] b = new byte[8192];
                try {
                  int n;
                  while ((n = in.read(b)) >= 0) {
                    read.write(b, 0, n);
                    if (complete(read)) {
                      break;
                    }
                  }
                } catch (IOException e) {
                  // reset after the answer: what was read is the answer
                }
                return read.toString(StandardCharsets.UTF_8);
              });
      OutputStream out = socket.getOutputStream();
      out.write(
          (requestLine + "\r\nHost: 127.0.0.1\r\n" + headers + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      boolean chunked = headers.toLowerCase().contains("transfer-encoding: chunked");
      long sent = 0;
      byte[] buffer = new byte[64 * 1024];
      try {
        int n;
        while (!answer.isDone() && (n = body.next(buffer)) > 0) {
          if (chunked) {
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          }
          out.write(buffer, 0, n);
          if (chunked) {
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          }
          sent += n;
        }
        if (chunked && !answer.isDone()) {
          out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
      } catch (IOException e) {
        // the server closed the connection while the body was still coming: expected for a refusal
      }
      String response = answer.get(30, TimeUnit.SECONDS);
      if (response.isEmpty()) {
        throw new UncheckedIOException(new IOException("no answer after " + sent + " bytes"));
      }
      int status = Integer.parseInt(response.substring(9, 12));
      return new Result(status, response, sent);
    }
  }

  /** Headers and a body of the declared length, or a chunked body up to its last chunk. */
  private static boolean complete(ByteArrayOutputStream read) {
    // Headers are ASCII; ISO-8859-1 keeps one char per byte, so lengths below are in bytes.
    String text = read.toString(StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    String head = text.substring(0, end).toLowerCase();
    int length = head.indexOf("content-length:");
    if (length >= 0) {
      int lineEnd = head.indexOf("\r\n", length);
      long n =
          Long.parseLong(
              head.substring(length + 15, lineEnd < 0 ? head.length() : lineEnd).strip());
      return text.length() - end - 4 >= n;
    }
    return text.endsWith("0\r\n\r\n");
  }
}
