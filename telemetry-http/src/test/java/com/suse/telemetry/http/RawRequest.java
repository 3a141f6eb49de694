package com.suse.telemetry.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A POST written by hand on a socket of its own, so that a test decides when each byte of the body
 * leaves: as a slow or stalled client would send it.
 */
final class RawRequest implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private BufferedReader reader;

  /** Sends the request's head, announcing a body of {@code contentLength} bytes. */
  RawRequest(int port, String path, long contentLength) {
    try {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(60_000);
      out = socket.getOutputStream();
      out.write(
          ("POST "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + contentLength
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends {@code bytes} of the body; false if the server has closed the connection. */
  boolean send(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Waits for the answer's status code: -1 when the connection closed without one (or was reset).
   */
  int status() {
    try {
      String line = answer().readLine();
      return line == null ? -1 : Integer.parseInt(line.split(" ", 3)[1]);
    } catch (SocketException reset) {
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The status code, if the server answered or closed within {@code wait}.
   *
   * @throws AssertionError if it did neither
   */
  int statusWithin(Duration wait) {
    try {
      socket.setSoTimeout((int) wait.toMillis());
      return status();
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof SocketTimeoutException) {
        throw new AssertionError("no answer and still open after " + wait);
      }
      throw e;
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether an answer (or the end of the connection) is there to read. */
  boolean answered() {
    try {
      return socket.getInputStream().available() > 0;
    } catch (IOException e) {
      return true;
    }
  }

  /** What follows the status line, up to the end of the connection or a second of silence. */
  String rest() {
    StringBuilder rest = new StringBuilder();
    try {
      socket.setSoTimeout(1000);
      for (String line = answer().readLine(); line != null; line = answer().readLine()) {
        rest.append(line).append('\n');
      }
    } catch (IOException e) {
      // Silence or a reset: what came is what there is.
    }
    return rest.toString();
  }

  private BufferedReader answer() throws IOException {
    if (reader == null) {
      reader =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }
    return reader;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Closed already.
    }
  }
}
