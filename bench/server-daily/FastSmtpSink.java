import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stall-free SMTP sink for the daily benchmark: answers every command at once (no greeting delay,
 * no storage), advertises PIPELINING and 8BITMIME, and counts the mails it accepted. Usage: {@code
 * java FastSmtpSink.java <port> <count-file>}; the count file holds the number of mails accepted
 * so far (rewritten at most every 50 ms), so a driver can wait for a drain to arrive.
 */
public class FastSmtpSink {
  static final AtomicLong MAILS = new AtomicLong();

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path counter = Path.of(args[1]);
    Thread writer =
        new Thread(
            () -> {
              long last = -1;
              while (true) {
                long n = MAILS.get();
                if (n != last) {
                  try {
                    Path tmp = Path.of(counter + ".tmp");
                    Files.writeString(tmp, Long.toString(n));
                    Files.move(tmp, counter, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                  last = n;
                }
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    writer.setDaemon(true);
    writer.start();
    try (ServerSocket server = new ServerSocket(port, 128, InetAddress.getLoopbackAddress())) {
      System.out.println("fast SMTP sink on 127.0.0.1:" + port);
      while (true) {
        Socket s = server.accept();
        Thread t = new Thread(() -> session(s));
        t.setDaemon(true);
        t.start();
      }
    }
  }

  static void session(Socket socket) {
    try (socket;
        InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192)) {
      socket.setTcpNoDelay(true);
      reply(out, "220 sink ESMTP ready\r\n");
      byte[] line = new byte[4096];
      while (true) {
        int n = readLine(in, line);
        if (n < 0) {
          return;
        }
        String cmd = new String(line, 0, Math.min(n, 4), StandardCharsets.US_ASCII).toUpperCase();
        switch (cmd) {
          case "EHLO" ->
              write(out, "250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n");
          case "HELO" -> write(out, "250 sink\r\n");
          case "DATA" -> {
            reply(out, "354 go ahead\r\n");
            while (true) {
              int m = readLine(in, line);
              if (m < 0) {
                return;
              }
              if (m == 3 && line[0] == '.' && line[1] == '\r') {
                break;
              }
            }
            MAILS.incrementAndGet();
            write(out, "250 accepted\r\n");
          }
          case "QUIT" -> {
            reply(out, "221 bye\r\n");
            return;
          }
          default -> write(out, "250 ok\r\n");
        }
        // Pipelined commands: answer them together, flush when the client waits for us.
        if (in.available() == 0) {
          out.flush();
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.US_ASCII));
  }

  static void reply(OutputStream out, String s) throws IOException {
    write(out, s);
    out.flush();
  }

  /** Reads one line including its CRLF into buf (longer lines are cut); -1 at end of stream. */
  static int readLine(InputStream in, byte[] buf) throws IOException {
    int n = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return n == 0 ? -1 : n;
      }
      if (n < buf.length) {
        buf[n++] = (byte) b;
      }
      if (b == '\n') {
        return n;
      }
    }
  }
}
