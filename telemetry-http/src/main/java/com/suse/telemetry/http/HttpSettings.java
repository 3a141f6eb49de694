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
 * @param bodies limits on request bodies
 * @param admission how many submissions are taken in, from everyone and from each client
 * @param retryAfter what {@code Retry-After} tells clients turned away with 503
 * @param shutdownGrace how long stopping waits for submissions in flight
 */
public record HttpSettings(
    String host,
    int port,
    BodyLimits bodies,
    AdmissionLimits admission,
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

  /** Memory for request bodies; by default a quarter of the heap. */
  public static final Setting<Long> BODY_MEMORY =
      Setting.of(
          "body-memory",
          Long.class,
          text -> MAX_BODY_SIZE.parse(text),
          null,
          "memory for request bodies held at once, over all submissions (default: a quarter of"
              + " the heap, at least 32MiB); beyond it, submissions get 503 with Retry-After");

  /** Time a body may take to arrive. */
  public static final Setting<Duration> BODY_TIMEOUT =
      Setting.duration(
          "body-timeout",
          Duration.ofSeconds(1),
          Duration.ofMinutes(10),
          Duration.ofSeconds(20),
          "longest time a request body may take to arrive; then 408 and the connection closes");

  /** Slowest rate a body may arrive at. */
  public static final Setting<Long> BODY_MIN_RATE =
      Setting.bytes(
          "body-min-rate",
          0,
          1L << 30,
          1L << 10,
          "slowest a request body may arrive, in bytes per second averaged from the request's"
              + " start (checked after its first "
              + BodyLimits.RATE_GRACE.toSeconds()
              + " s; 0: no minimum); slower ones get 408 and the connection closes");

  /** Submissions handled at once. */
  public static final Setting<Integer> MAX_SUBMISSIONS_IN_FLIGHT =
      Setting.integer(
          "max-submissions-in-flight",
          1,
          100_000,
          64,
          "most submissions validated and committed at once, over all clients; more get 503"
              + " with Retry-After (a body being received takes no place)");

  /** How the number of submissions in flight is set. */
  public static final Setting<AdmissionMode> ADMISSION =
      Setting.choice(
          "admission",
          AdmissionMode.class,
          AdmissionMode.ADAPTIVE,
          "how many submissions are taken at once: adaptive follows the time they take (up to"
              + " the most in flight), fixed always allows the most");

  /** How the number of submissions in flight is set. */
  public enum AdmissionMode {
    /** Follows the time submissions take, up to the most in flight. */
    ADAPTIVE,
    /** Always the most in flight. */
    FIXED
  }

  /** Submissions per second from one client. */
  public static final Setting<Integer> CLIENT_RATE =
      Setting.integer(
          "client-rate",
          0,
          1_000_000,
          50,
          "submissions per second one client (one address; an IPv6 /64) may send on average;"
              + " more get 429 with Retry-After (0: no limit)");

  /** Submissions one client may send at once above its rate. */
  public static final Setting<Integer> CLIENT_BURST =
      Setting.integer(
          "client-burst",
          1,
          10_000_000,
          500,
          "submissions one client may send in a burst above its rate");

  /** Proxies whose {@code X-Forwarded-For} is believed. */
  public static final Setting<List<String>> TRUSTED_PROXIES =
      Setting.list(
          "trusted-proxies",
          String.class,
          ",",
          text -> AddressRange.parse(text).toString(),
          "addresses or CIDR blocks of load balancers whose X-Forwarded-For names the client,"
              + " comma-separated (default: none; the connecting address is the client)");

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
          BODY_MEMORY,
          BODY_TIMEOUT,
          BODY_MIN_RATE,
          MAX_SUBMISSIONS_IN_FLIGHT,
          ADMISSION,
          CLIENT_RATE,
          CLIENT_BURST,
          TRUSTED_PROXIES,
          RETRY_AFTER,
          SHUTDOWN_GRACE);

  /** Checks the settings. */
  public HttpSettings {
    requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
    }
    requireNonNull(bodies, "bodies");
    requireNonNull(admission, "admission");
    requireNonNull(retryAfter, "retryAfter");
    requireNonNull(shutdownGrace, "shutdownGrace");
  }

  /**
   * Limits on request bodies.
   *
   * @param maxBytes largest body as sent, compressed or not
   * @param maxDecompressedBytes largest body once decompressed
   * @param memoryBudgetBytes bodies held in memory at once, over all submissions; beyond it,
   *     submissions are turned away with 503, so that memory stays bounded under overload
   * @param timeout longest time a body may take to arrive
   * @param minBytesPerSecond slowest average rate a body may arrive at, after {@link #RATE_GRACE};
   *     0 for none
   */
  public record BodyLimits(
      long maxBytes,
      long maxDecompressedBytes,
      long memoryBudgetBytes,
      Duration timeout,
      long minBytesPerSecond) {

    /** How long a body may arrive at any rate before its rate is checked. */
    public static final Duration RATE_GRACE = Duration.ofSeconds(2);

    /** Checks the limits. */
    public BodyLimits {
      if (maxBytes < 1 || maxDecompressedBytes < 1) {
        throw new IllegalArgumentException("body limits must be positive");
      }
      if (maxDecompressedBytes >= Integer.MAX_VALUE - 8 || maxBytes >= Integer.MAX_VALUE - 8) {
        // A body is held in one array.
        throw new IllegalArgumentException("body limits must be under 2 GiB");
      }
      if (memoryBudgetBytes < maxBytes + maxDecompressedBytes) {
        throw new IllegalArgumentException(
            "memoryBudgetBytes must hold at least one largest body as sent and decompressed");
      }
      requireNonNull(timeout, "timeout");
      if (minBytesPerSecond < 0) {
        throw new IllegalArgumentException("minBytesPerSecond must not be negative");
      }
    }
  }

  /**
   * How many submissions are taken in.
   *
   * @param maxInFlight most submissions validated and committed at once, over all clients
   * @param adaptive whether the number in flight follows the time submissions take (up to the
   *     most), rather than always being the most
   * @param clientRate submissions per second one client may send on average; 0 for no limit
   * @param clientBurst submissions one client may send at once above its rate
   * @param trustedProxies addresses or CIDR blocks whose {@code X-Forwarded-For} names the client
   */
  public record AdmissionLimits(
      int maxInFlight,
      boolean adaptive,
      int clientRate,
      int clientBurst,
      List<String> trustedProxies) {

    /** Checks the limits. */
    public AdmissionLimits {
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight must be 1 or more");
      }
      if (clientRate < 0 || clientBurst < 1) {
        throw new IllegalArgumentException("clientRate must be 0 or more, clientBurst 1 or more");
      }
      trustedProxies = List.copyOf(trustedProxies);
      trustedProxies.forEach(AddressRange::parse);
    }
  }

  /**
   * The HTTP API's configuration from {@code values}.
   *
   * @throws InvalidSettingException naming a setting whose value makes no sense with the others
   */
  public static HttpSettings from(SettingValues values) {
    long maxBytes = values.get(MAX_BODY_SIZE);
    long maxDecompressed = values.get(MAX_DECOMPRESSED_BODY_SIZE);
    long memory =
        values.find(BODY_MEMORY).orElse(Math.max(32L << 20, Runtime.getRuntime().maxMemory() / 4));
    if (memory < maxBytes + maxDecompressed) {
      throw new InvalidSettingException(
          BODY_MEMORY,
          "must hold at least one largest body as sent and decompressed ("
              + (maxBytes + maxDecompressed)
              + " bytes), was "
              + memory);
    }
    return new HttpSettings(
        values.get(HOST),
        values.get(PORT),
        new BodyLimits(
            maxBytes, maxDecompressed, memory, values.get(BODY_TIMEOUT), values.get(BODY_MIN_RATE)),
        new AdmissionLimits(
            values.get(MAX_SUBMISSIONS_IN_FLIGHT),
            values.get(ADMISSION) == AdmissionMode.ADAPTIVE,
            values.get(CLIENT_RATE),
            values.get(CLIENT_BURST),
            values.get(TRUSTED_PROXIES)),
        values.get(RETRY_AFTER),
        values.get(SHUTDOWN_GRACE));
  }

  /** Every default, on {@code port}. */
  public static HttpSettings defaults(int port) {
    return from(SettingValues.defaults().with(PORT, port));
  }
}
