package com.suse.telemetry.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An envelope POSTed over a plain socket in two halves: the first is sent and flushed at once, so
 * the server starts handling the submission; the second only on {@link #release()}. The server
 * holds the submission in flight meanwhile. (An HTTP client buffers a body as it likes, so it
 * cannot promise that the first half left.)
 */
final class HeldSubmission implements AutoCloseable {

  private final Socket socket;
  private final byte[] body;
  private final int half;

  HeldSubmission(TestCollector collector, byte[] body) {
    this.body = body;
    this.half = body.length / 2;
    try {
      socket = new Socket("127.0.0.1", collector.collector.port());
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /api/v1/telemetry HTTP/1.1\r\n"
                  + "Host: 127.0.0.1\r\n"
                  + "Content-Type: application/json\r\n"
                  + "Content-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, half);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends the second half and returns the status code of the answer. */
  int release() {
    try {
      socket.getOutputStream().write(body, half, body.length - half);
      socket.getOutputStream().flush();
      String statusLine =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      if (statusLine == null) {
        throw new IOException("the connection closed without an answer");
      }
      return Integer.parseInt(statusLine.split(" ", 3)[1]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
