package com.suse.telemetry.http;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.settings.InvalidSettingException;
import com.suse.telemetry.core.settings.Setting;
import com.suse.telemetry.core.settings.SettingValues;
import java.time.Duration;
import java.util.List;

/**
 * How the HTTP API listens and what it accepts; its settings are declared here.
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

  /** Address to listen on. */
  public static final Setting<String> HOST =
      Setting.text("http-host", "0.0.0.0", "address to listen on");

  /** Port of the HTTP API. */
  public static final Setting<Integer> PORT =
      Setting.port("http-port", 8080, "port of the HTTP API (0: any free port)");

  /** Largest body as sent. */
  public static final Setting<Long> MAX_BODY_SIZE =
      Setting.bytes(
          "max-body-size",
          1,
          1L << 30,
          1L << 20,
          "largest request body as sent, compressed or not; larger ones get 413");

  /** Largest body once decompressed. */
  public static final Setting<Long> MAX_DECOMPRESSED_BODY_SIZE =
      Setting.bytes(
          "max-decompressed-body-size",
          1,
          1L << 30,
          8L << 20,
          "largest request body once decompressed; larger ones (gzip bombs) get 413");

  /** Submissions handled at once. */
  public static final Setting<Integer> MAX_SUBMISSIONS_IN_FLIGHT =
      Setting.integer(
          "max-submissions-in-flight",
          1,
          100_000,
          64,
          "submissions validated and committed at once; more get 503 with Retry-After");

  /** Memory for request bodies; by default a quarter of the heap. */
  public static final Setting<Long> BODY_MEMORY =
      Setting.of(
          "body-memory",
          Long.class,
          text -> MAX_BODY_SIZE.parse(text),
          null,
          "memory for request bodies held at once, over all submissions (default: a quarter of"
              + " the heap, at least 32MiB); beyond it, submissions get 503 with Retry-After");

  /** What {@code Retry-After} says. */
  public static final Setting<Duration> RETRY_AFTER =
      Setting.duration(
          "retry-after",
          Duration.ofSeconds(1),
          Duration.ofHours(1),
          Duration.ofSeconds(5),
          "what Retry-After tells clients turned away with 503 (whole seconds)");

  /** How long stopping waits for submissions in flight. */
  public static final Setting<Duration> SHUTDOWN_GRACE =
      Setting.duration(
          "shutdown-grace",
          Duration.ZERO,
          Duration.ofMinutes(10),
          Duration.ofSeconds(30),
          "how long stopping waits for submissions in flight to be committed and answered");

  /** Every setting of the HTTP API, in the order help lists them. */
  public static final List<Setting<?>> SETTINGS =
      List.of(
          HOST,
          PORT,
          MAX_BODY_SIZE,
          MAX_DECOMPRESSED_BODY_SIZE,
          MAX_SUBMISSIONS_IN_FLIGHT,
          BODY_MEMORY,
          RETRY_AFTER,
          SHUTDOWN_GRACE);

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
   * The HTTP API's configuration from {@code values}.
   *
   * @throws InvalidSettingException naming a setting whose value makes no sense with the others
   */
  public static HttpSettings from(SettingValues values) {
    long maxDecompressed = values.get(MAX_DECOMPRESSED_BODY_SIZE);
    long memory =
        values.find(BODY_MEMORY).orElse(Math.max(32L << 20, Runtime.getRuntime().maxMemory() / 4));
    if (memory < maxDecompressed) {
      throw new InvalidSettingException(
          BODY_MEMORY,
          "must hold at least one largest body ("
              + MAX_DECOMPRESSED_BODY_SIZE.variable()
              + " = "
              + maxDecompressed
              + " bytes), was "
              + memory);
    }
    return new HttpSettings(
        values.get(HOST),
        values.get(PORT),
        values.get(MAX_BODY_SIZE),
        maxDecompressed,
        values.get(MAX_SUBMISSIONS_IN_FLIGHT),
        memory,
        values.get(RETRY_AFTER),
        values.get(SHUTDOWN_GRACE));
  }

  /** Every default, on {@code port}. */
  public static HttpSettings defaults(int port) {
    return from(SettingValues.defaults().with(PORT, port));
  }
}
