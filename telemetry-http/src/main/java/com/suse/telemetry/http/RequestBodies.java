package com.suse.telemetry.http;

import io.javalin.http.Context;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a submission's body within its limits: JSON only, identity or gzip encoding, at most the
 * configured size on the wire and once decompressed. Decompression is cut off as soon as it passes
 * the limit, so a gzip bomb costs no more than the limit; every byte held counts against the memory
 * budget.
 */
final class RequestBodies {

  private static final int CHUNK = 8 * 1024;

  /** At most this much of a refused body is read and dropped (as Tomcat's maxSwallowSize). */
  private static final long SWALLOW_LIMIT = 2L << 20;

  private final HttpSettings settings;

  RequestBodies(HttpSettings settings) {
    this.settings = settings;
  }

  /** Checks the headers, then reads the whole body. */
  byte[] read(Context ctx, MemoryBudget.Lease lease) {
    requireJson(ctx.header("Content-Type"));
    boolean gzip = gzipped(ctx.header("Content-Encoding"));
    long declared = ctx.req().getContentLengthLong();
    if (declared > settings.maxBodyBytes()) {
      throw Problem.tooLarge(tooLarge(settings.maxBodyBytes(), "as sent"));
    }
    try {
      InputStream wire = new LimitedStream(ctx.bodyInputStream(), settings.maxBodyBytes());
      InputStream body = gzip ? new GZIPInputStream(wire, CHUNK) : wire;
      // Most bodies say their length: read them into an array of just that size (or of one byte
      // over the decompressed limit, which is enough to refuse it).
      int expected =
          gzip || declared < 0
              ? CHUNK
              : (int) Math.min(declared, settings.maxDecompressedBytes() + 1);
      return readAll(body, lease, expected);
    } catch (ZipException | EOFException e) {
      throw Problem.badBody("the body is not valid gzip: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] readAll(InputStream body, MemoryBudget.Lease lease, int expected)
      throws IOException {
    long limit = settings.maxDecompressedBytes();
    byte[] buffer = take(lease, new byte[0], expected);
    int size = 0;
    while (true) {
      if (size == buffer.length) {
        int next = body.read();
        if (next < 0) {
          return buffer;
        }
        buffer = take(lease, buffer, (int) Math.min(limit + 1, Math.max(CHUNK, 2L * size)));
        buffer[size++] = (byte) next;
      }
      int read = body.read(buffer, size, buffer.length - size);
      if (read < 0) {
        return Arrays.copyOf(buffer, size);
      }
      size += read;
      if (size > limit) {
        throw Problem.tooLarge(tooLarge(limit, "once decompressed"));
      }
    }
  }

  /** {@code buffer} grown to {@code capacity}, the growth taken from the memory budget. */
  private byte[] take(MemoryBudget.Lease lease, byte[] buffer, int capacity) {
    if (!lease.take(capacity - buffer.length)) {
      throw Problem.overloaded(settings.retryAfter().toSeconds());
    }
    return Arrays.copyOf(buffer, capacity);
  }

  /**
   * Reads and drops what is left of the body of a request turned away, up to {@link #SWALLOW_LIMIT}
   * bytes, before it is answered. A client still sending when the server closes the connection is
   * sent a reset that can destroy the answer before the client reads it; once the body is read, the
   * connection also stays open for the client's next request.
   */
  void discard(Context ctx) {
    try (InputStream body = new LimitedStream(ctx.bodyInputStream(), SWALLOW_LIMIT)) {
      body.transferTo(OutputStream.nullOutputStream());
    } catch (IOException | RuntimeException e) {
      // The client went away, or sends more than is worth reading: Jetty closes the connection.
    }
  }

  private static void requireJson(String contentType) {
    String mediaType =
        contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/json")) {
      throw Problem.unsupportedMediaType(
          "Content-Type must be application/json, was "
              + (contentType == null ? "missing" : "'" + contentType + "'"));
    }
  }

  private static boolean gzipped(String contentEncoding) {
    if (contentEncoding == null
        || contentEncoding.isBlank()
        || contentEncoding.trim().equalsIgnoreCase("identity")) {
      return false;
    }
    String encoding = contentEncoding.trim().toLowerCase(Locale.ROOT);
    if (encoding.equals("gzip") || encoding.equals("x-gzip")) {
      return true;
    }
    throw Problem.unsupportedMediaType(
        "Content-Encoding must be gzip or none, was '" + contentEncoding + "'");
  }

  private static String tooLarge(long limit, String how) {
    return "the body is larger than " + limit + " bytes " + how;
  }

  /** Fails with 413 once more than {@code limit} bytes were read from the wire. */
  private static final class LimitedStream extends InputStream {
    private final InputStream in;
    private final long limit;
    private long read;

    LimitedStream(InputStream in, long limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      count(b < 0 ? -1 : 1);
      return b;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      int n = in.read(bytes, offset, (int) Math.min(length, limit - read + 1));
      count(n);
      return n;
    }

    private void count(int n) {
      if (n > 0) {
        read += n;
        if (read > limit) {
          throw Problem.tooLarge(tooLarge(limit, "as sent"));
        }
      }
    }
  }
}
