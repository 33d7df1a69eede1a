package dev.keyturn.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback in front of a real server (PostgreSQL, SMTP) that can be frozen: from
 * then on it forwards nothing and answers nothing, but keeps every connection open and accepts new
 * ones, which is how a network partition or a hung server looks to a client (the worst kind of
 * outage: no error, only silence).
 */
public final class FreezableTcpProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final String upstreamHost;
  private final int upstreamPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean frozen;

  public FreezableTcpProxy(String upstreamHost, int upstreamPort) {
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    try {
      listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread accept = new Thread(this::accept, "proxy-accept-" + port());
    accept.setDaemon(true);
    accept.start();
  }

  /** A server that accepts connections and never says a word (a hung SMTP or webhook server). */
  public static FreezableTcpProxy silent() {
    FreezableTcpProxy p = new FreezableTcpProxy("127.0.0.1", 9);
    p.freeze();
    return p;
  }

  public int port() {
    return listener.getLocalPort();
  }

  public void freeze() {
    frozen = true;
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        sockets.add(client);
        if (frozen) {
          continue; // held open, never answered
        }
        Socket upstream = new Socket(upstreamHost, upstreamPort);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        // closed, or the upstream refused: the client sees its connection closed
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  while (frozen) {
                    Thread.sleep(50); // silence: hold the bytes, keep the connection
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // one side closed
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    try {
      listener.close();
      for (Socket s : sockets) {
        s.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
