package com.suse.telemetry.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One kept-alive HTTP/1.1 connection, blocking, as lean as a load generator can be: it writes a
 * prepared request and reads the status, the headers it needs, and the body. It reconnects when the
 * server closes the connection (as it does after refusing a body unread).
 */
final class HttpConnection implements Channel<byte[]> {

  private final String host;
  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private Duration retryAfter = Duration.ZERO;

  HttpConnection(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** The request bytes for a JSON POST of {@code body} to {@code path}. */
  static byte[] post(String path, byte[] body) {
    byte[] head =
        ("POST "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[head.length + body.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(body, 0, request, head.length, body.length);
    return request;
  }

  /**
   * Sends {@code request} and reads the whole response; retries once on a stale connection, and
   * counts a connection that breaks again as {@link Outcome#OTHER}.
   */
  @Override
  public Outcome send(byte[] request) {
    try {
      return exchange(request);
    } catch (IOException stale) {
      close();
      try {
        return exchange(request);
      } catch (IOException | RuntimeException broken) {
        close();
        return Outcome.OTHER;
      }
    }
  }

  private Outcome exchange(byte[] request) throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(120_000);
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      out = socket.getOutputStream();
    }
    out.write(request);
    out.flush();
    String statusLine = line();
    int status = Integer.parseInt(statusLine.substring(9, 12));
    long length = 0;
    boolean close = false;
    retryAfter = Duration.ZERO;
    boolean retryAfterSent = false;
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "connection" -> close = value.equalsIgnoreCase("close");
        case "retry-after" -> {
          retryAfterSent = true;
          retryAfter = seconds(value);
        }
        default -> {}
      }
    }
    in.skipNBytes(length);
    if (close) {
      close();
    }
    return Outcome.ofHttp(status, retryAfterSent);
  }

  /** Retry-After's delay in seconds; zero for a date or anything else it cannot read. */
  private static Duration seconds(String value) {
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
    } catch (NumberFormatException e) {
      return Duration.ZERO;
    }
  }

  @Override
  public Duration retryAfter() {
    return retryAfter;
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder(64);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed by the server");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing a connection that already broke.
      }
      socket = null;
    }
  }
}
