package com.suse.telemetry.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the HTTP API listens and what it accepts.
 *
 * @param host address to bind, e.g. {@code 0.0.0.0}
 * @param port port to listen on; 0 picks a free one
 * @param maxBodyBytes largest request body as sent, compressed or not
 * @param maxDecompressedBytes largest request body once decompressed
 * @param maxConcurrentSubmissions submissions handled at once; more are turned away with 503
 * @param memoryBudgetBytes request bodies held in memory at once, over all submissions; beyond it,
 *     submissions are turned away with 503, so that memory stays bounded under overload
 * @param retryAfter what {@code Retry-After} tells clients turned away with 503
 * @param shutdownGrace how long stopping waits for submissions in flight
 */
public record HttpSettings(
    String host,
    int port,
    long maxBodyBytes,
    long maxDecompressedBytes,
    int maxConcurrentSubmissions,
    long memoryBudgetBytes,
    Duration retryAfter,
    Duration shutdownGrace) {

  /** Default largest body on the wire: 1 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;

  /** Default largest decompressed body: 8 MiB. */
  public static final long DEFAULT_MAX_DECOMPRESSED_BYTES = 8L << 20;

  /** Checks the settings. */
  public HttpSettings {
    requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
    }
    if (maxBodyBytes < 1 || maxDecompressedBytes < 1) {
      throw new IllegalArgumentException("body limits must be positive");
    }
    if (maxDecompressedBytes >= Integer.MAX_VALUE - 8) {
      // A body is held in one array.
      throw new IllegalArgumentException("maxDecompressedBytes must be under 2 GiB");
    }
    if (maxConcurrentSubmissions < 1) {
      throw new IllegalArgumentException("maxConcurrentSubmissions must be 1 or more");
    }
    if (memoryBudgetBytes < maxDecompressedBytes) {
      throw new IllegalArgumentException(
          "memoryBudgetBytes must hold at least one largest body ("
              + maxDecompressedBytes
              + " bytes)");
    }
    requireNonNull(retryAfter, "retryAfter");
    requireNonNull(shutdownGrace, "shutdownGrace");
  }

  /**
   * Defaults for {@code port}: all interfaces, 1 MiB on the wire, 8 MiB decompressed, 64
   * submissions at once, a quarter of the heap (at least 32 MiB) for bodies, {@code Retry-After:
   * 5}, 30 s to finish in flight submissions when stopping.
   */
  public static HttpSettings defaults(int port) {
    long quarterHeap = Runtime.getRuntime().maxMemory() / 4;
    return new HttpSettings(
        "0.0.0.0",
        port,
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_MAX_DECOMPRESSED_BYTES,
        64,
        Math.max(32L << 20, quarterHeap),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30));
  }
}
