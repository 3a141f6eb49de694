package com.suse.telemetry.http;

import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * What a submission's body must be: JSON, in identity or gzip encoding, at most the configured size
 * on the wire and once decompressed. Decompression is cut off as soon as it passes the limit, so a
 * gzip bomb costs no more than the limit; every byte held counts against the memory budget.
 */
final class RequestBodies {

  private static final int CHUNK = 8 * 1024;

  private final HttpSettings.BodyLimits limits;
  private final Problem overloaded;

  RequestBodies(HttpSettings.BodyLimits limits, Problem overloaded) {
    this.limits = limits;
    this.overloaded = overloaded;
  }

  /**
   * Checks what the headers say of the body before it is read.
   *
   * @return whether the body is gzip-compressed
   * @throws Problem 415 for a media type other than JSON or an encoding other than gzip, 413 for a
   *     declared length over the limit
   */
  boolean check(Context ctx) {
    requireJson(ctx.header("Content-Type"));
    boolean gzip = gzipped(ctx.header("Content-Encoding"));
    if (ctx.req().getContentLengthLong() > limits.maxBytes()) {
      throw Problem.tooLarge(tooLarge(limits.maxBytes(), "as sent"));
    }
    return gzip;
  }

  /**
   * The body as JSON bytes: {@code wire} itself, or inflated from gzip within the decompressed
   * limit, its memory taken from {@code lease}.
   *
   * @throws Problem 400 for invalid gzip, 413 once decompressed over the limit, 503 when the memory
   *     budget is spent
   */
  byte[] decode(byte[] wire, boolean gzip, MemoryBudget.Lease lease) {
    if (!gzip) {
      if (wire.length > limits.maxDecompressedBytes()) {
        throw Problem.tooLarge(tooLarge(limits.maxDecompressedBytes(), "once decompressed"));
      }
      return wire;
    }
    try (InputStream body = new GZIPInputStream(new ByteArrayInputStream(wire), CHUNK)) {
      return inflate(body, lease);
    } catch (ZipException | EOFException e) {
      throw Problem.badBody("the body is not valid gzip: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] inflate(InputStream body, MemoryBudget.Lease lease) throws IOException {
    long limit = limits.maxDecompressedBytes();
    byte[] buffer = new byte[0];
    int size = 0;
    while (true) {
      if (size == buffer.length) {
        int capacity = (int) Math.min(limit + 1, Math.max(CHUNK, 2L * size));
        if (!lease.take(capacity - buffer.length)) {
          throw overloaded;
        }
        buffer = Arrays.copyOf(buffer, capacity);
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
}
