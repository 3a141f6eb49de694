package com.suse.telemetry.http;

import io.javalin.http.Context;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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

  private static final int CHUNK = 64 * 1024;

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
      return readAll(body, lease);
    } catch (ZipException | EOFException e) {
      throw Problem.badBody("the body is not valid gzip: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] readAll(InputStream body, MemoryBudget.Lease lease) throws IOException {
    long limit = settings.maxDecompressedBytes();
    byte[] buffer = new byte[0];
    int size = 0;
    while (true) {
      if (size == buffer.length) {
        int grown = (int) Math.min(limit + 1, Math.max(CHUNK, (long) buffer.length * 2));
        if (!lease.take(grown - buffer.length)) {
          throw Problem.overloaded(settings.retryAfter().toSeconds());
        }
        buffer = Arrays.copyOf(buffer, grown);
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
